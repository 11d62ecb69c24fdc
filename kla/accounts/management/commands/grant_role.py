from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kla.accounts.models import User
from kla.accounts.roles import ROLES, Role
from kla.accounts.services import membership_grant
from kla.agencies.models import Agency
from kla.regions.models import Region


class Command(BaseCommand):
    help = (
        "Memberi peran kepada pengguna dari baris perintah (mis. administrator Kementerian pertama setelah "
        "createsuperuser). Dicatat di log audit sebagai tindakan sistem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=[r.value for r in Role])
        parser.add_argument("--region", help="kode wilayah (mis. 16 atau 16.71); kosong untuk peran nasional")
        parser.add_argument("--agency", type=int, help="id instansi (untuk Operator Instansi)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"Pengguna '{options['username']}' tidak ditemukan.") from None
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"Wilayah dengan kode {options['region']} tidak ditemukan (muat: load_regions).")
        agency = None
        if options["agency"] is not None:
            agency = Agency.objects.filter(pk=options["agency"]).first()
            if agency is None:
                raise CommandError(f"Instansi dengan id {options['agency']} tidak ditemukan.")
        role = Role(options["role"])
        try:
            membership_grant(user=user, role=role, region=region, agency=agency, by=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {ROLES[role].label} diberikan."))
