"""documents/_upload_field.html: accept= from the document's types, a camera input only for images."""

from django.template.loader import render_to_string


def render(**context) -> str:
    return render_to_string("documents/_upload_field.html", {"name": "files", **context})


def test_the_default_field_takes_several_pdf_jpeg_or_png_files_with_a_camera_input():
    html = render(label="Giấy khai sinh", input_id="files-12")
    accept = ".pdf,application/pdf,.jpg,.jpeg,.jpe,.jfif,image/jpeg,.png,image/png"
    assert f'id="files-12" name="files" accept="{accept}" multiple' in html
    assert (
        'id="files-12-camera" name="files" accept="image/jpeg,image/png" capture="environment" multiple'
        in html
    )
    assert "PDF, JPEG hoặc PNG, tối đa 10 MB mỗi tệp" in html
    assert "data-upload-status hidden" in html and "<progress" in html


def test_a_pdf_only_document_has_no_camera_input(settings):
    settings.UPLOAD_MAX_FILE_MB = 5
    html = render(accepted=["pdf"])
    assert 'accept=".pdf,application/pdf"' in html
    assert "capture" not in html
    assert "PDF, tối đa 5 MB mỗi tệp" in html


def test_errors_are_shown_next_to_the_field_and_described_by_it():
    html = render(accepted_types=["png"], errors=["Tệp “a.png” trống (0 byte)."])
    assert 'aria-describedby="files-help files-error"' in html
    assert '<div id="files-error"><p class="error">Tệp “a.png” trống (0 byte).</p></div>' in html
