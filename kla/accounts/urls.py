from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kla.accounts import views
from kla.accounts.views import signin

app_name = "accounts"
urlpatterns = [
    path("akun/", views.me, name="me"),
    path("akun/masuk/", signin.LoginView.as_view(), name="login"),
    path("akun/masuk/kode/", signin.login_code, name="login_code"),
    path("akun/masuk/autentikator/", signin.totp_enrol, name="totp_enrol"),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "akun/sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "akun/lupa-sandi/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/password_reset_form.html",
            email_template_name="accounts/email/password_reset_email.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "akun/lupa-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("akun/atur-sandi/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "akun/atur-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("akun/kode-pemulihan/", signin.recovery_codes_create, name="recovery_codes_create"),
    path("akun/token/", views.token_create, name="token_create"),
    path("akun/token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    path("pengguna/", views.user_list, name="users"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/peran/", views.membership_grant, name="membership_grant"),
    path("pengguna/peran/<int:pk>/cabut/", views.membership_revoke, name="membership_revoke"),
    path("pengguna/<int:pk>/autentikator/atur-ulang/", views.totp_reset, name="totp_reset"),
]
