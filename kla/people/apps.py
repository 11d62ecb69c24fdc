from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kla.people"
    label = "people"
    verbose_name = "Pengguna datang dan pergi"
