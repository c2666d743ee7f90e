"""Which agencies every administrative unit has, as data.

Each row: role key (how the catalogue names the body), kind, name pattern ({unit} is the unit's name
as it reads in a sentence: "thành phố Hải Phòng", "xã Thượng Hồng"), parent role (a "province:" prefix
means the body of the commune's province) and a two-digit body number used in identifiers.
"""

from dataclasses import dataclass

from .models import AgencyKind


@dataclass(frozen=True)
class AgencyBlueprint:
    role: str
    kind: str
    name: str
    parent_role: str | None
    body: int


PROVINCE_AGENCIES = [
    AgencyBlueprint("ubnd", AgencyKind.PEOPLES_COMMITTEE, "Ủy ban nhân dân {unit}", None, 0),
    AgencyBlueprint(
        "ttpvhcc", AgencyKind.SERVICE_CENTRE, "Trung tâm Phục vụ hành chính công {unit}", "ubnd", 1
    ),
    AgencyBlueprint("so-tu-phap", AgencyKind.DEPARTMENT, "Sở Tư pháp {unit}", "ubnd", 11),
    AgencyBlueprint("so-noi-vu", AgencyKind.DEPARTMENT, "Sở Nội vụ {unit}", "ubnd", 12),
    AgencyBlueprint("so-tai-chinh", AgencyKind.DEPARTMENT, "Sở Tài chính {unit}", "ubnd", 13),
    AgencyBlueprint(
        "so-nong-nghiep-moi-truong", AgencyKind.DEPARTMENT, "Sở Nông nghiệp và Môi trường {unit}", "ubnd", 14
    ),
    AgencyBlueprint("so-y-te", AgencyKind.DEPARTMENT, "Sở Y tế {unit}", "ubnd", 15),
    AgencyBlueprint("so-xay-dung", AgencyKind.DEPARTMENT, "Sở Xây dựng {unit}", "ubnd", 16),
    AgencyBlueprint("so-cong-thuong", AgencyKind.DEPARTMENT, "Sở Công Thương {unit}", "ubnd", 17),
    AgencyBlueprint(
        "so-giao-duc-dao-tao", AgencyKind.DEPARTMENT, "Sở Giáo dục và Đào tạo {unit}", "ubnd", 18
    ),
    AgencyBlueprint(
        "so-van-hoa-the-thao-du-lich",
        AgencyKind.DEPARTMENT,
        "Sở Văn hóa, Thể thao và Du lịch {unit}",
        "ubnd",
        19,
    ),
    AgencyBlueprint(
        "so-khoa-hoc-cong-nghe", AgencyKind.DEPARTMENT, "Sở Khoa học và Công nghệ {unit}", "ubnd", 20
    ),
    AgencyBlueprint(
        "van-phong-dang-ky-dat-dai",
        AgencyKind.LAND_REGISTRY,
        "Văn phòng Đăng ký đất đai {unit}",
        "so-nong-nghiep-moi-truong",
        21,
    ),
    # Social insurance and police are vertical bodies, not under the People's Committee: roots.
    AgencyBlueprint("bhxh", AgencyKind.SOCIAL_INSURANCE, "Bảo hiểm xã hội {unit}", None, 30),
    AgencyBlueprint("cong-an", AgencyKind.POLICE, "Công an {unit}", None, 40),
]

COMMUNE_AGENCIES = [
    AgencyBlueprint("ubnd", AgencyKind.PEOPLES_COMMITTEE, "Ủy ban nhân dân {unit}", "province:ubnd", 0),
    AgencyBlueprint(
        "ttpvhcc", AgencyKind.SERVICE_CENTRE, "Trung tâm Phục vụ hành chính công {unit}", "ubnd", 1
    ),
    AgencyBlueprint("cong-an", AgencyKind.POLICE, "Công an {unit}", "province:cong-an", 40),
]

PROVINCE_ROLES = {b.role for b in PROVINCE_AGENCIES}
COMMUNE_ROLES = {b.role for b in COMMUNE_AGENCIES}
