"""Pages of the Gugus Tugas: the task force (decree, members, on a past date), meetings, follow-ups, files."""
