"""Committee report pages. Views parse, authorise and render; writes go through changes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from goldenthread.core.periods import PeriodError, parse_period
from goldenthread.documents import htmldoc
from goldenthread.documents.http import download, file_response
from goldenthread.documents.model import ReportRequest
from goldenthread.documents.render import FORMATS, UnknownFormat, label
from goldenthread.documents.serialise import from_json
from goldenthread.governance import access, changes, jobs, papers
from goldenthread.governance.forms import (
    AppendixForm,
    AppendixKindForm,
    CorrectionForm,
    NewReportForm,
    QuickReportForm,
    ReportForm,
)
from goldenthread.governance.models import Appendix, CommitteeReport, Meeting, ReportJob

DOWNLOADS = [(fmt, label(fmt)) for fmt in ("pdf", "docx", "xlsx", "html")]


def _report_for(request: HttpRequest, pk: int) -> CommitteeReport:
    return get_object_or_404(access.visible_reports(request.user), pk=pk)


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def index(request: HttpRequest) -> HttpResponse:
    """Meetings with the reports the user may read, newest meeting first."""
    reports = access.visible_reports(request.user).order_by("agenda_order", "pk")
    meetings = (
        Meeting.objects.filter(reports__in=reports)
        .select_related("committee")
        .prefetch_related(Prefetch("reports", queryset=reports, to_attr="visible"))
        .distinct()
        .order_by("-date", "committee__name")
    )
    can_manage = access.can_manage(request.user)
    empty_meetings = []
    if can_manage:
        empty_meetings = Meeting.objects.filter(reports__isnull=True).select_related("committee")
    return render(
        request,
        "governance/index.html",
        {
            "meetings": meetings,
            "empty_meetings": empty_meetings,
            "can_manage": can_manage,
            "kinds": papers.report_kinds(),
        },
    )


def report_create(request: HttpRequest) -> HttpResponse:
    if not access.can_manage(request.user):
        raise PermissionDenied("Only administrators write committee reports.")
    form = NewReportForm(
        request.POST or None, initial={"key_decision": "no", "meeting": request.GET.get("meeting")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = changes.create_report(
                form.cleaned_data["meeting"], by=request.user, **form.narrative()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "The report has been created. Add its appendices next.")
            return redirect(report)
    return render(
        request,
        "governance/report_form.html",
        {"form": form, "report": None},
        status=400 if request.method == "POST" else 200,
    )


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    if report.is_published:
        document = from_json(report.published_job.document_json)
    else:
        document = papers.build_document(report, request.user)
    files_job = jobs.latest_files(report)
    return render(
        request,
        "governance/report_detail.html",
        {
            "report": report,
            "versions": jobs.versions(report) if report.is_published else [],
            "document": htmldoc.fragment(document, show_header=False),
            "appendices": report.appendices.all(),
            "files_job": files_job,
            "active_job": report.jobs.filter(
                state__in=[ReportJob.State.QUEUED, ReportJob.State.RUNNING]
            ).first(),
            "downloads": DOWNLOADS,
            "can_edit": access.can_edit(request.user, report),
            "can_make_files": access.can_make_files(request.user, report),
            "can_publish": access.can_publish(request.user, report),
            "can_correct": access.can_correct(request.user, report),
        },
    )


def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    if not access.can_edit(request.user, report):
        raise PermissionDenied("Only administrators change draft reports.")
    conflict = None
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                changes.update_report(
                    report,
                    by=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                    **form.narrative(),
                )
            except changes.EditConflict as exc:
                conflict = exc
                report = exc.current
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Your changes to the report have been saved.")
                return redirect(report)
    else:
        form = ReportForm(initial=ReportForm.initial_for(report))
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render(
        request,
        "governance/report_form.html",
        {"form": form, "report": report, "conflict": conflict},
        status=status,
    )


def appendix_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Two steps: choose the kind of appendix, then what it is about and the period."""
    report = _report_for(request, pk)
    if not access.can_edit(request.user, report):
        raise PermissionDenied("Only administrators change draft reports.")
    kinds = papers.report_kinds()
    code = request.POST.get("kind") or request.GET.get("kind")
    kind = kinds.get(code or "")
    if kind is None:
        form = AppendixKindForm(request.GET if code else None, kinds=kinds)
        if code:
            form.is_valid()  # names the unknown kind in the error summary
        return render(
            request,
            "governance/appendix_kind.html",
            {"report": report, "form": form},
            status=400 if code else 200,
        )
    form = AppendixForm(
        request.POST or None,
        initial={"kind": kind.code},
        subjects=kind.subjects(request.user),
        needs_period=kind.needs_period,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes.add_appendix(
                report,
                by=request.user,
                kind=kind.code,
                subject=data["subject"],
                period=data.get("period", ""),
                title=data["title"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "The appendix has been added.")
            return redirect(report)
    return render(
        request,
        "governance/appendix_form.html",
        {"report": report, "form": form, "kind": kind},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def appendix_remove(request: HttpRequest, pk: int, appendix_pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    if not access.can_edit(request.user, report):
        raise PermissionDenied("Only administrators change draft reports.")
    appendix = get_object_or_404(Appendix, pk=appendix_pk, report=report)
    changes.remove_appendix(appendix, by=request.user)
    messages.success(request, f"Removed the appendix “{appendix}”.")
    return redirect(report)


@require_POST
def make_files(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    if not access.can_make_files(request.user, report):
        raise PermissionDenied("Only administrators make a draft report's files.")
    changes.request_files(report, by=request.user)
    messages.success(
        request, "The files are being made. You can leave this page and come back for them."
    )
    return redirect(reverse("governance:report", args=[report.pk]) + "#files")


def publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    if not access.can_publish(request.user, report):
        raise PermissionDenied("Only administrators publish reports, once.")
    gaps = papers.completeness(report, request.user)
    error = ""
    if request.method == "POST":
        try:
            changes.request_files(
                report,
                by=request.user,
                publish=True,
                confirm_incomplete=request.POST.get("confirm") == "yes",
            )
        except changes.IncompletePaper as exc:
            gaps, error = exc.gaps, exc.message_dict["confirm"][0]
        else:
            messages.success(
                request,
                "The report is being published. Its files and the data in them will be frozen.",
            )
            return redirect(reverse("governance:report", args=[report.pk]) + "#files")
    return render(
        request,
        "governance/publish_confirm.html",
        {"report": report, "gaps": gaps, "error": error},
        status=400 if error else 200,
    )


def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a correction: a new version from today's data, with the reason for it.

    The report's text may be corrected on the same page; it is saved only with the
    correction, and the versions published before keep the text they were made with.
    """
    report = _report_for(request, pk)
    if not access.can_correct(request.user, report):
        raise PermissionDenied("Only administrators publish corrections of published reports.")
    form = CorrectionForm(request.POST or None)
    text_posted = request.method == "POST" and "text-version" in request.POST
    text_form = ReportForm(
        request.POST if text_posted else None,
        prefix="text",
        initial=ReportForm.initial_for(report),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and (not text_posted or text_form.is_valid()):
            try:
                changes.correct_report(
                    report,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    narrative=text_form.narrative() if text_posted else None,
                    expected_version=(text_form.cleaned_data["version"] or 0) if text_posted else 0,
                )
            except changes.EditConflict as exc:
                form.add_error(None, str(exc))
                status = 409
            except ValidationError as exc:
                _add_errors(text_form if text_posted else form, exc)
            else:
                messages.success(
                    request,
                    "The correction is being published. The earlier version stays available, "
                    "marked as superseded.",
                )
                return redirect(reverse("governance:report", args=[report.pk]) + "#files")
    return render(
        request,
        "governance/correct_confirm.html",
        {"report": report, "form": form, "text_form": text_form, "versions": jobs.versions(report)},
        status=status,
    )


def job_status(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    """The progress panel; the page polls it with HTMX until the files are ready."""
    report = _report_for(request, pk)
    job = get_object_or_404(ReportJob, pk=job_pk, report=report)
    response = render(
        request,
        "governance/_job.html",
        {
            "report": report,
            "job": job,
            "downloads": DOWNLOADS,
            "can_make_files": access.can_make_files(request.user, report),
        },
    )
    if job.publish and job.state == ReportJob.State.DONE and request.htmx:
        response["HX-Refresh"] = "true"  # the whole page now shows the published report
    return response


def report_file(request: HttpRequest, pk: int, fmt: str, number: int | None = None) -> HttpResponse:
    """A file of one published version; without a version, the newest published file, or the
    latest made draft file."""
    report = _report_for(request, pk)
    job = jobs.latest_files(report) if number is None else jobs.version_files(report, number)
    if fmt not in FORMATS or job is None:
        raise Http404("No such file.")
    stored = job.files.filter(fmt=fmt).first()
    if stored is None:
        raise Http404("No such file.")
    stem = f"{report.meeting.date:%Y-%m-%d} {report.subject_heading[:60]}"
    if not report.is_published:
        stem += " DRAFT"
    elif number is not None:
        stem += f" version {number}"
        if report.published_job_id != job.pk:
            stem += " SUPERSEDED"
    return file_response(bytes(stored.content), fmt, stem)


# -- a paper straight from the data, without a committee report ---------------------------------


def quick_report(request: HttpRequest, kind_code: str) -> HttpResponse:
    """Pick a subject and a period, get the paper (on screen and in every format)."""
    kind = papers.report_kinds().get(kind_code)
    if kind is None:
        raise Http404("No such kind of report.")
    subjects = kind.subjects(request.user)
    form = QuickReportForm(request.GET or None, subjects=subjects)
    document = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        period = data["period"].strip()
        if period:
            try:
                period = parse_period(period).code
            except PeriodError as exc:
                form.add_error("period", str(exc))
        if not form.errors:
            document = kind.build(
                ReportRequest(data["subject"], period, data["report_date"], request.user)
            )
            fmt = request.GET.get("format")
            if fmt:
                try:
                    return download(document, fmt, f"{data['subject']} {period}")
                except UnknownFormat as exc:
                    raise Http404(str(exc)) from exc
    return render(
        request,
        "governance/quick_report.html",
        {
            "kind": kind,
            "form": form,
            "document": htmldoc.fragment(document) if document else None,
            "query": request.GET.urlencode() if document else "",
            "downloads": DOWNLOADS,
        },
        status=400 if request.GET and form.errors else 200,
    )
