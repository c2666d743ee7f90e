"""Binding an e-form definition to a draft's raw answers and errors, for the templates.

HTML names: `<field>` at the top level, `<group>-<i>-<field>` inside repeating groups (with a
`<group>-count` hidden field), `<field>__province|commune|street` for addresses. Error paths are those of
catalog.eform_data ("child_name", "extracts.0.copies", "home.commune").
"""

from dataclasses import dataclass, field

from dichvucong.directory.models import AdministrativeUnit, UnitLevel
from dichvucong.directory.selectors import province_list


@dataclass
class BoundField:
    spec: dict
    html_name: str
    html_id: str
    path: str
    value: object
    error: str = ""
    errors: dict = field(default_factory=dict)  # address parts: {"province": "...", ...}
    items: list = field(default_factory=list)  # groups: [BoundItem]
    communes: list = field(default_factory=list)  # address: communes of the chosen province

    @property
    def type(self) -> str:
        return self.spec["type"]

    @property
    def described_by(self) -> str:
        ids = []
        if self.spec.get("help"):
            ids.append(f"{self.html_id}-help")
        ids.append(f"{self.html_id}-error")
        return " ".join(ids)


@dataclass
class BoundItem:
    index: int
    fields: list


@dataclass
class BoundSection:
    title: str
    fields: list


def commune_choices(province_code: str) -> list:
    if not province_code:
        return []
    return list(
        AdministrativeUnit.objects.filter(
            level=UnitLevel.COMMUNE, parent__code=province_code[:2], valid_until=None
        )
        .order_by("name_folded")
        .values_list("code", "name")
    )


def _bind(spec: dict, value, errors: dict, html_name: str, path: str) -> BoundField:
    bound = BoundField(
        spec=spec,
        html_name=html_name,
        html_id=f"f-{html_name}",
        path=path,
        value=value,
        error=errors.get(path, ""),
    )
    if spec["type"] == "address":
        value = value if isinstance(value, dict) else {}
        bound.value = value
        bound.errors = {part: errors.get(f"{path}.{part}", "") for part in ("province", "commune", "street")}
        bound.communes = commune_choices(value.get("province", ""))
    elif spec["type"] == "group":
        items = value if isinstance(value, list) else []
        bound.items = [
            BoundItem(
                index=i,
                fields=[
                    _bind(
                        sub,
                        (item or {}).get(sub["name"], ""),
                        errors,
                        f"{spec['name']}-{i}-{sub['name']}",
                        f"{path}.{i}.{sub['name']}",
                    )
                    for sub in spec["fields"]
                ],
            )
            for i, item in enumerate(items)
        ]
    return bound


def bind_form(schema: dict, raw: dict, errors: dict | None = None) -> list[BoundSection]:
    errors = errors or {}
    return [
        BoundSection(
            title=section["title"],
            fields=[
                _bind(spec, raw.get(spec["name"], ""), errors, spec["name"], spec["name"])
                for spec in section["fields"]
            ],
        )
        for section in schema.get("sections", [])
    ]


def provinces() -> list:
    return [(p.code, p.name) for p in province_list()]


def group_add_item(schema: dict, raw: dict, group: str) -> dict:
    """A new empty item in `group` (the "Thêm" button), within max_items."""
    for section in schema.get("sections", []):
        for spec in section["fields"]:
            if spec["name"] == group and spec["type"] == "group":
                items = list(raw.get(group) or [])
                if len(items) < spec.get("max_items", 20):
                    items.append({})
                return {**raw, group: items}
    return raw


def group_remove_item(schema: dict, raw: dict, token: str) -> dict:
    """Remove item i of a group ("<group>-<i>", the "Xóa" button), keeping min_items."""
    group, _sep, index = token.rpartition("-")
    for section in schema.get("sections", []):
        for spec in section["fields"]:
            if spec["name"] == group and spec["type"] == "group" and index.isdigit():
                items = list(raw.get(group) or [])
                if len(items) > max(1, spec.get("min_items", 1)) and int(index) < len(items):
                    del items[int(index)]
                return {**raw, group: items}
    return raw
