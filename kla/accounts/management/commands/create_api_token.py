from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.accounts.models import User
from kla.accounts.services import token_create


class Command(BaseCommand):
    help = "Membuat token API pribadi baru untuk USERNAME dan mencetaknya (hanya sekali; simpan dengan aman)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="Token dari baris perintah", help="nama token (untuk apa dipakai)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"Pengguna aktif '{options['username']}' tidak ditemukan.") from None
        _token, plain = token_create(user=user, name=options["name"], by=None)
        self.stdout.write(plain)
