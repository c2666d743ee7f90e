"""Back office (/mot-cua/): inbox, reception, processing steps, results and their return."""

app_name = "processing"

urlpatterns = []
