"""The English catalogue is complete, compiled and in step with the code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "dichvucong" / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries(catalog):
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in catalog if not entry.obsolete}


def test_every_vietnamese_string_has_an_english_translation():
    catalog = polib.pofile(str(PO))
    missing = [e.msgid for e in catalog if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalog if "fuzzy" in e.flags]
    assert not missing, f"untranslated: {missing[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_the_compiled_catalogue_matches_the_source():
    po, mo = polib.pofile(str(PO)), polib.mofile(str(MO))
    assert _entries(po) == _entries(mo)
    translations = {(e.msgid, e.msgstr) for e in po if not e.msgid_plural}
    assert translations <= {(e.msgid, e.msgstr) for e in mo if not e.msgid_plural}


def test_the_code_has_no_string_missing_from_the_catalogue(tmp_path):
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT / "dichvucong", copy / "dichvucong", ignore=shutil.ignore_patterns("__pycache__", "tests")
    )
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "DEBUG": "true", "DVC_TESTING": "1", "PYTHONPATH": str(copy)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    extracted = polib.pofile(str(copy / "dichvucong" / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    new = _entries(extracted) - _entries(polib.pofile(str(PO)))
    assert not new, f"run `make messages` and translate: {sorted(m[1] for m in new)[:10]}"
