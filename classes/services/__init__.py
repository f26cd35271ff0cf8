"""Writes that span models, by concept: plain functions with keyword-only arguments,
each in one transaction. Each asks `classes.access` whether the user may write."""

from classes.services.cycle import (
    reporting_period_publish,
    reporting_period_save,
    send_note_question,
    unit_report_accept,
    unit_report_return,
    unit_report_submit,
)
from classes.services.locks import year_lock, year_unlock
from classes.services.planning import (
    assessment_save,
    criterion_save,
    plan_delete,
    plan_draft_generate,
    plan_save,
    survey_delete,
    survey_save,
)
from classes.services.training import (
    class_create,
    class_delete,
    class_save,
    classes_check_deletable,
    classes_delete,
    commendation_delete,
    commendation_save,
)
from classes.services.users import (
    unit_account_username,
    unit_accounts_create,
    user_admin_save,
    user_save,
)

__all__ = [
    "assessment_save",
    "class_create",
    "class_delete",
    "class_save",
    "classes_check_deletable",
    "classes_delete",
    "commendation_delete",
    "commendation_save",
    "criterion_save",
    "plan_delete",
    "plan_draft_generate",
    "plan_save",
    "reporting_period_publish",
    "reporting_period_save",
    "survey_delete",
    "survey_save",
    "unit_account_username",
    "unit_accounts_create",
    "unit_report_accept",
    "unit_report_return",
    "send_note_question",
    "unit_report_submit",
    "user_admin_save",
    "user_save",
    "year_lock",
    "year_unlock",
]
