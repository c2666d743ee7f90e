import datetime as dt

import pytest
from django.http import QueryDict

from dichvucong.catalog.eform_data import (
    display_value,
    initial_raw,
    print_context,
    raw_from_post,
    validate_data,
)
from dichvucong.catalog.models import Procedure

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)

SCHEMA = {
    "sections": [
        {
            "title": "Người yêu cầu",
            "fields": [
                {
                    "name": "full_name",
                    "label": "Họ và tên",
                    "type": "text",
                    "required": True,
                    "max_length": 20,
                    "prefill": "profile.full_name",
                },
                {"name": "id_number", "label": "Số định danh", "type": "personal_id", "required": True},
                {"name": "birth", "label": "Ngày sinh", "type": "date", "not_future": True},
                {
                    "name": "relation",
                    "label": "Quan hệ",
                    "type": "choice",
                    "required": True,
                    "choices": [{"value": "mother", "label": "Mẹ"}, {"value": "other", "label": "Khác"}],
                },
                {
                    "name": "relation_other",
                    "label": "Ghi rõ",
                    "type": "text",
                    "required_if": {"field": "relation", "equals": "other"},
                },
                {"name": "home", "label": "Nơi cư trú", "type": "address", "required": True},
                {"name": "wants_copies", "label": "Cấp bản sao", "type": "yesno", "default": False},
                {
                    "name": "copies",
                    "label": "Số bản",
                    "type": "number",
                    "integer": True,
                    "min": 1,
                    "max": 10,
                    "required_if": {"field": "wants_copies", "equals": True},
                },
                {"name": "phone", "label": "Điện thoại", "type": "phone"},
                {"name": "email", "label": "Thư điện tử", "type": "email"},
                {
                    "name": "children",
                    "label": "Con",
                    "type": "group",
                    "min_items": 1,
                    "max_items": 3,
                    "fields": [{"name": "name", "label": "Tên con", "type": "text", "required": True}],
                },
            ],
        }
    ]
}
GOOD = {
    "full_name": "Nguyễn Văn An",
    "id_number": "031090123456",
    "birth": "1990-05-17",
    "relation": "mother",
    "relation_other": "",
    "home": {"province": "31", "commune": "10993", "street": "Thôn Đông"},
    "wants_copies": "yes",
    "copies": "2",
    "phone": "0912 345 678",
    "email": "An@Example.vn",
    "children": [{"name": "Nguyễn Văn Bé"}],
}


def test_good_answers_are_cleaned():
    result = validate_data(SCHEMA, GOOD, today=TODAY)
    assert result.errors == {}
    cleaned = result.cleaned
    assert cleaned["copies"] == 2 and cleaned["wants_copies"] is True
    assert cleaned["phone"] == "+84912345678" and cleaned["email"] == "an@example.vn"
    assert cleaned["home"] == {
        "province": "31",
        "province_name": "Thành phố Hải Phòng",
        "commune": "10993",
        "commune_name": "Xã Thượng Hồng",
        "street": "Thôn Đông",
    }
    assert cleaned["children"] == [{"name": "Nguyễn Văn Bé"}]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"full_name": ""}, "full_name", "Vui lòng nhập: Họ và tên."),
        ({"full_name": "x" * 21}, "full_name", "Tối đa 20 ký tự."),
        ({"id_number": "123"}, "id_number", "12 chữ số"),
        ({"birth": "2999-01-01"}, "birth", "tương lai"),
        ({"birth": "31/02/2020"}, "birth", "dd/mm/yyyy"),
        ({"relation": "father"}, "relation", "không hợp lệ"),
        ({"relation": "other"}, "relation_other", "Vui lòng nhập: Ghi rõ."),
        ({"copies": ""}, "copies", "Vui lòng nhập: Số bản."),
        ({"copies": "2.5"}, "copies", "số nguyên"),
        ({"copies": "11"}, "copies", "từ 1 đến 10"),
        ({"phone": "12345"}, "phone", "không hợp lệ"),
        ({"email": "an@"}, "email", "không hợp lệ"),
        ({"home": {"province": "31", "commune": "12127", "street": ""}}, "home.commune", "không thuộc tỉnh"),
        ({"home": {"province": "", "commune": "", "street": ""}}, "home", "Vui lòng chọn: Nơi cư trú."),
        ({"children": [{"name": ""}]}, "children.0.name", "Vui lòng nhập: Tên con."),
        ({"children": []}, "children", ""),
        ({"children": [{"name": "a"}] * 4}, "children", "Cần từ 1 đến 3 mục."),
    ],
)
def test_each_wrong_answer_gets_a_vietnamese_message_on_its_own_path(change, path, message):
    errors = validate_data(SCHEMA, {**GOOD, **change}, today=TODAY).errors
    assert path in errors and message in errors[path]


def test_a_conditional_field_is_not_required_when_its_condition_is_false():
    assert (
        "copies"
        not in validate_data(SCHEMA, {**GOOD, "wants_copies": "no", "copies": ""}, today=TODAY).errors
    )


def test_answers_are_read_from_a_form_post_including_groups_and_addresses():
    post = QueryDict(mutable=True)
    post.update(
        {
            "full_name": " An ",
            "home__province": "31",
            "home__commune": "10993",
            "home__street": "x",
            "children-count": "2",
            "children-0-name": "Bé A",
            "children-1-name": "Bé B",
        }
    )
    raw = raw_from_post(SCHEMA, post)
    assert raw["full_name"] == "An"
    assert raw["home"] == {"province": "31", "commune": "10993", "street": "x"}
    assert raw["children"] == [{"name": "Bé A"}, {"name": "Bé B"}]


def test_a_new_draft_is_prefilled_from_the_profile(django_user_model):
    user = django_user_model(full_name="Trần Thị Bình")
    raw = initial_raw(SCHEMA, user)
    assert raw["full_name"] == "Trần Thị Bình" and raw["wants_copies"] == "no"
    assert raw["children"] == [{}]


def test_values_are_shown_as_people_read_them():
    cleaned = validate_data(SCHEMA, GOOD, today=TODAY).cleaned
    printed = print_context(SCHEMA, cleaned)
    assert printed["birth"] == "17/05/1990"
    assert printed["relation_label"] == "Mẹ"
    assert printed["home"] == "Thôn Đông, Xã Thượng Hồng, Thành phố Hải Phòng"
    assert printed["phone"] == "0912 345 678"
    assert display_value({"type": "yesno"}, True) == "Có"


@pytest.mark.parametrize("code", ["1.001193", "1.000656", "1.000894", "1.013978", "2.000821"])
def test_the_published_e_forms_accept_their_own_prefilled_drafts_structurally(code):
    """Every field of the real e-forms can be read back from a post of their initial answers."""
    schema = Procedure.objects.get(code=code).current_version.form_definition.schema
    result = validate_data(schema, initial_raw(schema), today=TODAY)
    assert all(isinstance(message, str) and message for message in result.errors.values())
