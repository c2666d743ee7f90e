"""URLs of two-factor authentication, the officials' active agency and staff management."""

from django.urls import path

from .views import staff, two_factor

urlpatterns = [
    # Two-factor authentication (every user; mandatory for officials).
    path("tai-khoan/xac-thuc-hai-lop/", two_factor.verify, name="two_factor_verify"),
    path("tai-khoan/bao-mat/hai-lop/", two_factor.manage, name="two_factor_manage"),
    path("tai-khoan/bao-mat/hai-lop/thiet-lap/", two_factor.enrol, name="two_factor_enrol"),
    path(
        "tai-khoan/bao-mat/hai-lop/ma-khoi-phuc/", two_factor.recovery_codes, name="two_factor_recovery_codes"
    ),
    path("tai-khoan/bao-mat/hai-lop/tat/", two_factor.disable, name="two_factor_disable"),
    # A new official sets their first password (link issued by their agency administrator).
    path("tai-khoan/kich-hoat/<uidb64>/<token>/", staff.staff_activate, name="staff_activate"),
    # Back office: active agency and the agency administrator's staff pages.
    path("mot-cua/chon-co-quan/", staff.agency_choose, name="agency_choose"),
    path("mot-cua/can-bo/", staff.staff_list, name="staff_list"),
    path("mot-cua/can-bo/them/", staff.staff_create_view, name="staff_create"),
    path("mot-cua/can-bo/<int:user_id>/", staff.staff_detail, name="staff_detail"),
    path("mot-cua/can-bo/<int:user_id>/cap-vai-tro/", staff.staff_role_grant_view, name="staff_role_grant"),
    path(
        "mot-cua/can-bo/<int:user_id>/thu-hoi-vai-tro/",
        staff.staff_role_revoke_view,
        name="staff_role_revoke",
    ),
    path(
        "mot-cua/can-bo/<int:user_id>/dat-lai-xac-thuc/",
        staff.staff_two_factor_reset_view,
        name="staff_two_factor_reset",
    ),
    path(
        "mot-cua/can-bo/<int:user_id>/lien-ket-kich-hoat/",
        staff.staff_activation_link_view,
        name="staff_activation_link",
    ),
]
