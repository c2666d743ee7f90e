import pytest

from dichvucong.catalog.eform import EFormDefinitionError, validate_definition


def _form(*fields):
    return {"sections": [{"title": "Phần 1", "fields": list(fields)}]}


NAME = {"name": "full_name", "label": "Họ và tên", "type": "text", "required": True, "max_length": 100}
RELATION = {
    "name": "relation",
    "label": "Quan hệ",
    "type": "choice",
    "choices": [{"value": "father", "label": "Cha"}, {"value": "other", "label": "Khác"}],
}


def test_a_well_formed_definition_is_accepted():
    validate_definition(
        _form(
            NAME,
            RELATION,
            {
                "name": "relation_other",
                "label": "Ghi rõ",
                "type": "text",
                "required_if": {"field": "relation", "equals": "other"},
            },
            {
                "name": "children",
                "label": "Con",
                "type": "group",
                "min_items": 1,
                "max_items": 5,
                "fields": [
                    {"name": "child_name", "label": "Tên", "type": "text", "required": True},
                    {"name": "child_birth", "label": "Ngày sinh", "type": "date", "not_future": True},
                ],
            },
            {"name": "home", "label": "Nơi cư trú", "type": "address", "prefill": "profile.address"},
        )
    )


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ({}, "cần ít nhất một phần"),
        (_form(NAME, NAME), "tên trường bị trùng"),
        (_form({**NAME, "type": "slider"}), "kiểu 'slider' không hợp lệ"),
        (_form({**NAME, "name": "Họ tên"}), "chữ thường không dấu"),
        (_form({**NAME, "label": ""}), "thiếu nhãn"),
        (_form({**NAME, "choices": []}), "không dùng được với kiểu text"),
        (_form({**RELATION, "choices": []}), "cần danh sách choices"),
        (_form({**RELATION, "choices": [{"value": "gp", "label": "Ông", "bà": None}]}), "thuộc tính thừa"),
        (
            _form(NAME, {**NAME, "name": "x", "required_if": {"field": "nothing", "equals": 1}}),
            "không tồn tại",
        ),
        (
            _form(RELATION, {**NAME, "name": "x", "required_if": {"field": "relation", "equals": "mother"}}),
            "không có trong lựa chọn",
        ),
        (_form({**NAME, "pattern": "[0-9"}), "pattern không hợp lệ"),
        (_form({**NAME, "pattern": "[0-9]+"}), "pattern_message"),
        (_form({**NAME, "prefill": "profile.password"}), "nguồn điền sẵn"),
        (
            _form(
                {
                    "name": "g",
                    "label": "G",
                    "type": "group",
                    "fields": [{"name": "h", "label": "H", "type": "group", "fields": [NAME]}],
                }
            ),
            "nhóm lồng",
        ),
        (_form({**NAME, "min_length": 5, "max_length": 2}), "min_length lớn hơn max_length"),
    ],
)
def test_a_malformed_definition_is_refused_with_the_path_of_the_fault(definition, message):
    with pytest.raises(EFormDefinitionError, match=message):
        validate_definition(definition)
