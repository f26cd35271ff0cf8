from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.report_home, name="home"),
    path("reports/yearly/<int:year>/", views.yearly, name="yearly"),
    path("reports/yearly/<int:year>/export.xlsx", views.yearly_xlsx, name="yearly_xlsx"),
    path("reports/yearly/<int:year>/export.docx", views.yearly_docx, name="yearly_docx"),
    path("api/reports/yearly/<int:year>/", views.yearly_json, name="yearly_json"),
]
