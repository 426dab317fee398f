"""What the conversation page needs for answering: the reply editor, pending replies, who else
is writing. Used by :func:`pregonero.inbox.views._detail` and the answering views."""

from __future__ import annotations

from pregonero.accounts.roles import Role
from pregonero.inbox import answering, saved_replies, services
from pregonero.inbox.forms_answering import ApproveForm, ReplyEditorForm, ReturnForm
from pregonero.inbox.models import Conversation, PendingState


def editor_form(conversation: Conversation, data=None) -> ReplyEditorForm:
    organisation = conversation.organisation
    saved = saved_replies.available(organisation, department=conversation.department)
    if data is not None:
        return ReplyEditorForm(data, prefix="reply", saved=saved)
    return ReplyEditorForm(
        initial={
            "language": conversation.language or organisation.default_language,
            "seen": answering.latest_message_id(conversation),
        },
        prefix="reply",
        saved=saved,
    )


def context(request, organisation, role: Role, conversation: Conversation, form=None) -> dict:
    may_reply = role.at_least(services.REPLYING_ROLE)
    may_review = services.may_review(role, organisation)
    pending = conversation.pending_replies.filter(state=PendingState.PENDING).select_related("author")
    returned = conversation.pending_replies.filter(
        state=PendingState.RETURNED, author=request.user
    ).select_related("reviewed_by")
    return {
        "may_reply": may_reply,
        "ability": services.reply_ability(conversation) if may_reply else None,
        "reply_form": form if form is not None else editor_form(conversation),
        "reply_needs_approval": services.needs_approval(role, organisation),
        "may_review": may_review,
        "may_manage_saved": role.at_least(saved_replies.MANAGING_ROLE),
        "pending_replies": pending,
        "returned_replies": returned.order_by("-reviewed_at")[:5],
        "approve_form": ApproveForm(prefix="approve"),
        "return_form": ReturnForm(prefix="return"),
        "writing": answering.others_writing(conversation, request.user) if may_reply else [],
    }
