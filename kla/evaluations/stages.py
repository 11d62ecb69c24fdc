"""Stages of an evaluation cycle and their labels. Pure module: no Django import."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    SELF_ASSESSMENT = "self_assessment"
    PROVINCE_REVIEW = "province_review"
    ADMIN_VERIFICATION = "admin_verification"
    FIELD_VERIFICATION = "field_verification"
    FINAL = "final"
    ANNOUNCEMENT = "announcement"


STAGE_LABELS: dict[Stage, str] = {
    Stage.SELF_ASSESSMENT: "Evaluasi mandiri (EM)",
    Stage.PROVINCE_REVIEW: "Verifikasi administrasi oleh provinsi",
    Stage.ADMIN_VERIFICATION: "Verifikasi administrasi Kementerian",
    Stage.FIELD_VERIFICATION: "Verifikasi lapangan",
    Stage.FINAL: "Verifikasi akhir dan penetapan",
    Stage.ANNOUNCEMENT: "Pengumuman",
}
STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
