"""Back-office process templates: the default, a version's own, inheritance by later versions, the
order rules, and that a published version's template may still be edited (docs/backoffice.md)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dichvucong.catalog.models import (
    DEFAULT_PROCESS_STEPS,
    ProcedureVersion,
    ProcessStepPlan,
    ProcessTemplate,
    ProcessTemplateStep,
    StepKind,
    StepRole,
    process_steps_for_version,
    process_steps_validate,
)
from dichvucong.catalog.services import procedure_version_create_draft, procedure_version_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> ProcedureVersion:
    return ProcedureVersion.objects.get(procedure__code="1.004873", status="published")


def two_level_template(version) -> ProcessTemplate:
    template = ProcessTemplate.objects.create(version=version, name="Hai cấp ký")
    rows = [
        (StepKind.RECEPTION, "Tiếp nhận", StepRole.RECEPTIONIST, None, Decimal("0.5")),
        (StepKind.PROCESSING, "Công chức tư pháp thẩm định", StepRole.SPECIALIST, 70, None),
        (StepKind.APPROVAL, "Phó Chủ tịch xem xét", StepRole.APPROVER, 15, None),
        (StepKind.APPROVAL, "Chủ tịch ký", StepRole.APPROVER, 15, None),
        (StepKind.RETURN, "Trả kết quả", StepRole.RECEPTIONIST, 0, None),
    ]
    for position, (kind, name, role, percent, days) in enumerate(rows, start=1):
        ProcessTemplateStep.objects.create(
            template=template,
            position=position,
            kind=kind,
            name=name,
            role=role,
            budget_percent=percent,
            budget_working_days=days,
        )
    return template


def test_a_version_without_a_template_follows_the_default_process(published):
    steps = process_steps_for_version(published)
    assert steps == list(DEFAULT_PROCESS_STEPS)
    assert [str(s.name) for s in steps] == [
        "Tiếp nhận hồ sơ",
        "Chuyên viên thẩm định",
        "Lãnh đạo ký duyệt",
        "Phát hành kết quả",
        "Trả kết quả",
    ]
    assert sum(s.budget_percent for s in steps) == 100
    process_steps_validate(steps)


def test_a_published_versions_template_is_used_and_stays_editable(published):
    template = two_level_template(published)
    steps = process_steps_for_version(published)
    assert [s.name for s in steps][2:4] == ["Phó Chủ tịch xem xét", "Chủ tịch ký"]
    assert steps[0].budget_working_days == Decimal("0.5")
    # The agencies' internal organisation, not what the version publishes: editable after publication.
    step = template.steps.get(position=2)
    step.budget_percent = 60
    step.save()
    template.full_clean()
    assert process_steps_for_version(published)[1].budget_percent == 60


def test_a_new_version_inherits_the_template_of_the_one_before(published):
    two_level_template(published)
    new = procedure_version_publish(procedure_version_create_draft(published))
    assert [s.name for s in process_steps_for_version(new)][3] == "Chủ tịch ký"


@pytest.mark.parametrize(
    "kinds",
    [
        [StepKind.PROCESSING, StepKind.RECEPTION, StepKind.APPROVAL, StepKind.RETURN],  # order
        [StepKind.RECEPTION, StepKind.APPROVAL, StepKind.RETURN],  # no processing
        [StepKind.RECEPTION, StepKind.PROCESSING, StepKind.RETURN],  # no approval
        [StepKind.RECEPTION, StepKind.PROCESSING, StepKind.APPROVAL],  # no return
        [StepKind.RECEPTION, StepKind.RECEPTION, StepKind.PROCESSING, StepKind.APPROVAL, StepKind.RETURN],
    ],
)
def test_a_process_out_of_order_is_refused(kinds):
    from dichvucong.catalog.models import KIND_ROLE

    steps = [ProcessStepPlan(i, kind, kind, KIND_ROLE[kind], 10) for i, kind in enumerate(kinds, start=1)]
    with pytest.raises(ValidationError):
        process_steps_validate(steps)


def test_each_kind_of_step_has_its_role():
    steps = list(DEFAULT_PROCESS_STEPS)
    steps[1] = ProcessStepPlan(2, StepKind.PROCESSING, "Thẩm định", StepRole.RECEPTIONIST, 60)
    with pytest.raises(ValidationError, match="Chuyên viên xử lý"):
        process_steps_validate(steps)


def test_a_step_has_exactly_one_kind_of_budget(published):
    template = ProcessTemplate.objects.create(version=published, name="Sai")
    for percent, days in [(None, None), (10, Decimal(1)), (150, None)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            ProcessTemplateStep.objects.create(
                template=template,
                position=1,
                kind=StepKind.RECEPTION,
                name="Tiếp nhận",
                role=StepRole.RECEPTIONIST,
                budget_percent=percent,
                budget_working_days=days,
            )
