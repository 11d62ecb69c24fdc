from django.urls import path

from kla.taskforce.views import follow_ups, meetings, task_force

app_name = "taskforce"
urlpatterns = [
    path("", task_force.index, name="index"),
    path("wilayah/<str:code>/", task_force.region, name="region"),
    path("wilayah/<str:code>/sk/", task_force.decree_add, name="decree_add"),
    path("wilayah/<str:code>/anggota/", task_force.member_add, name="member_add"),
    path("anggota/<int:pk>/selesai/", task_force.member_end, name="member_end"),
    path("wilayah/<str:code>/rakor/", meetings.meetings, name="meetings"),
    path("wilayah/<str:code>/rakor/rencana/", meetings.meeting_plan, name="meeting_plan"),
    path("rakor/<int:pk>/", meetings.meeting, name="meeting"),
    path("rakor/<int:pk>/laksana/", meetings.meeting_hold, name="meeting_hold"),
    path("rakor/<int:pk>/notulen/", meetings.minutes_upload, name="minutes_upload"),
    path("rakor/<int:pk>/tindak-lanjut/", meetings.follow_up_add, name="follow_up_add"),
    path("wilayah/<str:code>/tindak-lanjut/", follow_ups.follow_ups, name="follow_ups"),
    path("tindak-lanjut/<int:pk>/selesai/", follow_ups.follow_up_complete, name="follow_up_complete"),
    path("berkas/<int:pk>/", follow_ups.document, name="document"),
]
