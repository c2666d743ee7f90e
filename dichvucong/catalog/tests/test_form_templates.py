import io

import pytest
from pypdf import PdfReader

from dichvucong.catalog.models import FormTemplate
from dichvucong.core.pdf import render_pdf

pytestmark = pytest.mark.django_db


def _sample_data(definition):
    """A value for every e-form field (one item per repeating group), as a filled declaration has."""
    data = {}
    for _section, field in definition.iter_fields() if definition else []:
        if field["type"] == "group":
            data[field["name"]] = [{sub["name"]: "Giá trị mẫu" for sub in field["fields"]}]
        else:
            data[field["name"]] = "Giá trị mẫu"
    return data


def test_every_paper_form_renders_blank_and_filled_as_a_pdf(pdf_rendering):
    templates = FormTemplate.objects.filter(version__status="published").select_related("version__procedure")
    assert templates.count() >= 10
    for template in templates:
        definition = getattr(template.version, "form_definition", None)
        for data in ({}, _sample_data(definition)):
            pdf = render_pdf(
                template.template_name,
                {"form": template, "procedure": template.version.procedure, "data": data},
            )
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text, template.template_name
            if data:
                assert "Giá trị mẫu" in text, template.template_name
