"""Dossier codes (mã hồ sơ): `<agency identifier>-<yymmdd>-<4-digit daily sequence>` by default.

The format is a setting (DOSSIER_CODE_FORMAT) because Circular 03/2025 fixes the official rule and
provinces differ. The daily sequence is one row per agency and day, incremented under a row lock inside
the submission's transaction, so concurrent submissions never share a number (PostgreSQL: the row lock;
SQLite: IMMEDIATE transactions serialise writers).
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dichvucong.directory.models import Agency

from .models import DossierCodeSequence


def dossier_code_format(*, agency_identifier: str, day: dt.date, number: int) -> str:
    return settings.DOSSIER_CODE_FORMAT.format(agency=agency_identifier, date=day, number=number)


def dossier_code_next(*, agency: Agency, when: dt.datetime | None = None) -> str:
    """The next code of `agency` for the local day of `when`; call inside the submission transaction."""
    day = timezone.localdate(when or timezone.now())
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: a lost creation race is retried
                sequence, _created = DossierCodeSequence.objects.select_for_update().get_or_create(
                    agency_identifier=agency.identifier, day=day
                )
                DossierCodeSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
                sequence.refresh_from_db(fields=["last_number"])
        except IntegrityError:
            continue
        return dossier_code_format(agency_identifier=agency.identifier, day=day, number=sequence.last_number)
    raise RuntimeError("could not allocate a dossier code")
