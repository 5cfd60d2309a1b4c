"""URLs of the events pages; included by mentoring/urls.py under the mentoring namespace."""

urlpatterns: list = []
