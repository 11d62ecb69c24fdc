from django.urls import path

from kla.verification import views

app_name = "verification"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("evaluasi/<int:pk>/", views.evaluation_review, name="evaluation"),
    path("evaluasi/<int:pk>/langkah/", views.step, name="step"),
    path("evaluasi/<int:pk>/terima/", views.accept, name="accept"),
    path("evaluasi/<int:pk>/kembalikan/", views.return_entries, name="return_entries"),
    path("entri/<int:pk>/", views.entry_review, name="entry"),
    path("entri/<int:pk>/keputusan/<int:question_pk>/", views.verdict, name="verdict"),
    path("entri/<int:pk>/kirim-ulang/", views.resubmit, name="resubmit"),
    path("surat/<int:pk>/", views.letter, name="letter"),
    path("<slug:cycle_code>/provinsi/<str:code>/", views.province, name="province"),
    path("<slug:cycle_code>/provinsi/<str:code>/usulkan/", views.propose, name="propose"),
    path("<slug:cycle_code>/provinsi/<str:code>/templat-surat/", views.letter_template, name="letter_template"),
]
