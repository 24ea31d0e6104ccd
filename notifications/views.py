from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import hr_required

from .models import Notification
from .services import notification_email_retry, notifications_mark_read


def notification_list(request):
    qs = Notification.objects.for_user(request.user).only(
        "code", "subject", "url", "read_at", "created_at"
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


def notification_open(request, code):
    notification = get_object_or_404(Notification, code=code, recipient=request.user)
    notifications_mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
def notification_mark_all_read(request):
    count = notifications_mark_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


@hr_required
def failed_emails(request):
    qs = (
        Notification.objects.filter(email_status=Notification.EmailStatus.FAILED)
        .select_related("recipient")
        .only("code", "subject", "attempts", "last_error", "created_at", "updated_at",
              "recipient__first_name", "recipient__last_name", "recipient__email")
        .order_by("-updated_at", "-pk")
    )  # fmt: skip
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "notifications/failed.html", {"page": page})


@hr_required
@require_POST
def failed_email_retry(request, code):
    notification = get_object_or_404(Notification.objects.select_related("recipient"), code=code)
    if notification_email_retry(notification=notification):
        messages.success(
            request,
            _("The email to %(email)s is being sent again.")
            % {"email": notification.recipient.email},
        )
    else:
        messages.info(request, _("This email is no longer waiting to be sent again."))
    return redirect("notifications:failed")
