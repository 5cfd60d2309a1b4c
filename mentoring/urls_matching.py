"""URLs of the matching pages; included by mentoring/urls.py under the mentoring namespace."""

urlpatterns: list = []
