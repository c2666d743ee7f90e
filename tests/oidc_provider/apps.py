from django.apps import AppConfig


class TestProviderConfig(AppConfig):
    # The default label would be "oidc_provider", the label of django-oidc-provider itself.
    name = "tests.oidc_provider"
    label = "vneid_test_provider"
    default_auto_field = "django.db.models.AutoField"
