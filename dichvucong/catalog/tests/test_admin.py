import pytest

from dichvucong.catalog.models import Procedure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "",
        "catalog/field/",
        "catalog/procedure/",
        "catalog/procedureversion/",
        "catalog/offering/",
        "directory/agency/",
        "directory/administrativeunit/",
        "directory/agency/?q=thuong+hong",
    ],
)
def test_admin_pages_open_in_vietnamese(admin_client, path):
    response = admin_client.get(f"/quan-tri/{path}")
    assert response.status_code == 200
    assert '<html lang="vi"' in response.content.decode()


def test_a_published_version_is_read_only_in_the_admin(admin_client):
    version = Procedure.objects.get(code="1.001193").current_version
    page = admin_client.get(f"/quan-tri/catalog/procedureversion/{version.pk}/change/").content.decode()
    assert 'name="name"' not in page  # shown, not editable
    assert "Đăng ký khai sinh" in page


def test_the_admin_creates_a_draft_then_publishes_it(admin_client):
    version = Procedure.objects.get(code="1.001193").current_version
    admin_client.post(
        "/quan-tri/catalog/procedureversion/", {"action": "create_draft", "_selected_action": [version.pk]}
    )
    procedure = Procedure.objects.get(code="1.001193")
    draft = procedure.versions.get(status="draft")
    admin_client.post(
        "/quan-tri/catalog/procedureversion/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    procedure.refresh_from_db()
    assert procedure.current_version_id == draft.pk


def test_the_admin_requires_two_factor_authentication(client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri-2fa", "q2@example.vn", "Quantri@12345!")
    client.force_login(user)
    response = client.get("/quan-tri/catalog/procedure/")
    assert response.status_code == 302 and "/tai-khoan/bao-mat/hai-lop/thiet-lap/" in response["Location"]
