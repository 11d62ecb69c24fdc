"""`{% load result_text %}`: the results' sentences in the reader's language (see `kla.results.wording`)."""

from __future__ import annotations

from django import template

from kla.results import wording
from kla.results.outcomes import PublicationCount
from kla.results.provila import ProvilaStatus
from kla.results.targets import TargetGap

register = template.Library()


@register.filter
def provila_summary(status: ProvilaStatus | None) -> str:
    return wording.provila_summary(status) if status is not None else ""


@register.filter
def blocker_reason(reason: str) -> str:
    return wording.blocker_reason(reason)


@register.filter
def publication_sentences(count: PublicationCount) -> list[str]:
    return wording.publication_sentences(count)


@register.filter
def target_summary(gap: TargetGap) -> str:
    return wording.target_summary(gap)
