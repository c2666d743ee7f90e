from .urls_submission import urlpatterns as submission_urlpatterns
from .urls_tracking import urlpatterns as tracking_urlpatterns

app_name = "dossiers"

urlpatterns = [*submission_urlpatterns, *tracking_urlpatterns]
