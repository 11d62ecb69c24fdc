from django.urls import path

from kla.verification.views import entry, history, proposal, review

app_name = "verification"

urlpatterns = [
    path("", review.queue, name="queue"),
    path("evaluasi/<int:pk>/", review.evaluation_review, name="evaluation"),
    path("evaluasi/<int:pk>/langkah/", review.step, name="step"),
    path("evaluasi/<int:pk>/terima/", review.accept, name="accept"),
    path("evaluasi/<int:pk>/kembalikan/", review.return_entries, name="return_entries"),
    path("entri/<int:pk>/", entry.entry_review, name="entry"),
    path("entri/<int:pk>/keputusan/<int:question_pk>/", entry.verdict, name="verdict"),
    path("entri/<int:pk>/kirim-ulang/", entry.resubmit, name="resubmit"),
    path("entri/<int:pk>/riwayat/", history.entry_history, name="entry_history"),
    path("surat/<int:pk>/", proposal.letter, name="letter"),
    path("<slug:cycle_code>/provinsi/<str:code>/", proposal.province, name="province"),
    path("<slug:cycle_code>/provinsi/<str:code>/usulkan/", proposal.propose, name="propose"),
    path("<slug:cycle_code>/provinsi/<str:code>/templat-surat/", proposal.letter_template, name="letter_template"),
]
