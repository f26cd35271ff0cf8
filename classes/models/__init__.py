"""The domain's models, one module per concept; re-exported here so that app labels,
migrations and `from classes.models import …` stay as they were."""

from classes.models.bounds import (
    COUNT,
    DATE,
    FIRST_DAY,
    LAST_DAY,
    MAX_COUNT,
    YEAR,
    CountCeiling,
    DateBounds,
    YearBounds,
    counts_within_ceiling,
    dates_within_bounds,
    years_within_bounds,
)
from classes.models.cycle import BoardName, ReportingPeriod, UnitReport
from classes.models.locks import YearLock
from classes.models.planning import AnnualPlan, LearningNeedsSurvey
from classes.models.reference import (
    AdministrativeUnit,
    Programme,
    TrainingCentre,
    check_unit_in_year,
)
from classes.models.standards import (
    CentreAssessment,
    CentreAssessmentScore,
    StandardCriterion,
)
from classes.models.training import Commendation, TrainingClass
from classes.models.users import User

__all__ = [
    "AdministrativeUnit",
    "AnnualPlan",
    "BoardName",
    "COUNT",
    "CentreAssessment",
    "CentreAssessmentScore",
    "Commendation",
    "CountCeiling",
    "DATE",
    "DateBounds",
    "FIRST_DAY",
    "LAST_DAY",
    "LearningNeedsSurvey",
    "MAX_COUNT",
    "Programme",
    "ReportingPeriod",
    "StandardCriterion",
    "TrainingCentre",
    "TrainingClass",
    "UnitReport",
    "User",
    "YEAR",
    "YearBounds",
    "YearLock",
    "check_unit_in_year",
    "counts_within_ceiling",
    "dates_within_bounds",
    "years_within_bounds",
]
