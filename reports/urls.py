from django.urls import path

from reports import completeness, views

app_name = "reports"
urlpatterns = [
    path("", views.start, name="start"),
    path("reports/", views.report_home, name="home"),
    path("reports/yearly/<int:year>/", views.yearly, name="yearly"),
    path("reports/yearly/<int:year>/export.xlsx", views.yearly_xlsx, name="yearly_xlsx"),
    path("reports/yearly/<int:year>/export.docx", views.yearly_docx, name="yearly_docx"),
    path("reports/completeness/<int:year>/", completeness.completeness, name="completeness"),
    path("reports/completeness/", completeness.completeness_pick, name="completeness_pick"),
    path("api/reports/yearly/<int:year>/", views.yearly_json, name="yearly_json"),
]
