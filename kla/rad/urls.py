from django.urls import path

from kla.rad.views import budget, nodes, plans, realisation, realisation_files

app_name = "rad"
urlpatterns = [
    path("", plans.index, name="index"),
    path("wilayah/<str:code>/", plans.region, name="region"),
    path("wilayah/<str:code>/buat/", plans.plan_create, name="plan_create"),
    path("<int:pk>/", plans.plan, name="plan"),
    path("<int:pk>/program/", plans.programme_add, name="programme_add"),
    path("<int:pk>/revisi/", plans.revision_start, name="revision_start"),
    path("versi/<int:pk>/tetapkan/", plans.version_adopt, name="version_adopt"),
    path("simpul/<int:pk>/", nodes.node, name="node"),
    path("simpul/<int:pk>/ubah/", nodes.node_update, name="node_update"),
    path("simpul/<int:pk>/tambah/", nodes.child_add, name="child_add"),
    path("simpul/<int:pk>/hapus/", nodes.node_remove, name="node_remove"),
    path("simpul/<int:pk>/anggaran/", nodes.budget_set, name="budget_set"),
    path("simpul/<int:pk>/keluaran/", nodes.output_add, name="output_add"),
    path("keluaran/<int:pk>/ubah/", nodes.output_update, name="output_update"),
    path("keluaran/<int:pk>/hapus/", nodes.output_remove, name="output_remove"),
    path("<int:pk>/realisasi/", realisation.realisation, name="realisation"),
    path("simpul/<int:pk>/realisasi/", realisation.realisation_record, name="realisation_record"),
    path("realisasi/<int:pk>/berkas/", realisation_files.file_upload, name="realisation_file_upload"),
    path("bukti-realisasi/<int:pk>/", realisation_files.file_download, name="realisation_file"),
    path("bukti-realisasi/<int:pk>/hapus/", realisation_files.file_remove, name="realisation_file_remove"),
    path("<int:pk>/anggaran/", budget.budget, name="budget"),
    path("<int:pk>/apbd/", budget.region_budget, name="region_budget"),
    path("berkas/<int:pk>/", budget.document, name="document"),
]
