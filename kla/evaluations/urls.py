from django.urls import path

from kla.evaluations import extension_views, rescore_views, submission_views, views

app_name = "evaluations"
urlpatterns = [
    path("siklus/", views.cycle_list, name="cycles"),
    path("siklus/baru/", views.cycle_create, name="cycle_create"),
    path("siklus/<slug:code>/", views.cycle_detail, name="cycle_detail"),
    path("siklus/<slug:code>/buka/", views.cycle_open, name="cycle_open"),
    path("siklus/<slug:code>/perpanjangan/", extension_views.cycle_extend, name="cycle_extend"),
    path("siklus/<slug:code>/nilai-ulang/", rescore_views.cycle_rescore, name="cycle_rescore"),
    path("evaluasi/", views.evaluation_list, name="evaluations"),
    path("evaluasi/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluasi/<int:pk>/tugaskan-otomatis/", views.evaluation_auto_assign, name="evaluation_auto_assign"),
    path("evaluasi/<int:pk>/kirim/", submission_views.evaluation_submit, name="evaluation_submit"),
    path("evaluasi/<int:pk>/tarik-kiriman/", submission_views.evaluation_withdraw, name="evaluation_withdraw"),
    path("evaluasi/<int:pk>/pengingat/", views.evaluation_remind, name="evaluation_remind"),
    path("tugas-saya/", views.my_work, name="my_work"),
    path("entri/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entri/<int:pk>/penugasan/", views.entry_assign, name="entry_assign"),
    path("entri/<int:pk>/jawaban/<int:question_pk>/", views.answer_save, name="answer_save"),
]
