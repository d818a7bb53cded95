"""The two seed surveys, with wording from the Crime Survey for England and Wales (CSEW), and a
function that creates a survey from such a description."""

from django.db import transaction

from .models import AGREEMENT_SCALE, RATING_SCALE, Choice, Page, Question, Survey

PRIVACY = (
    "Essex Police and the Police, Fire and Crime Commissioner use your answers to understand "
    "how confident people are in policing and how to improve it. The survey is anonymous: we "
    "do not record your name, contact details, IP address or browser, and we keep only the day "
    "you answered, not the time. If you give a postcode we use it only to find your local "
    "policing team and keep the team, not the postcode. Results are published only as totals, "
    "and any number smaller than 10 is hidden."
)

SATISFACTION_SCALE = [
    ("Completely satisfied", True),
    ("Very satisfied", True),
    ("Fairly satisfied", True),
    ("Neither satisfied nor dissatisfied", False),
    ("Fairly dissatisfied", False),
    ("Very dissatisfied", False),
    ("Completely dissatisfied", False),
]
YES_NO = [("Yes", False), ("No", False), ("Don't know", False)]

VICTIM = "Reporting a crime of which you were the victim"

WHERE = {
    "text": "Where do you live?",
    "kind": Question.Kind.WHERE,
    "required": False,
    "help_text": "Your postcode, for example CM1 1AA. We use it only to find your local "
    "policing team, then forget it. Leave it empty if you prefer not to say.",
}
COMMENT = {
    "text": "Is there anything else you would like to tell us about policing where you live?",
    "kind": Question.Kind.LONG_TEXT,
    "required": False,
    "max_length": 1000,
    "help_text": "Do not include names or anything that could identify you or anyone else. "
    "Do not use this form to report a crime.",
}

STATEMENTS = [  # each with the few words its error message uses
    ("They can be relied on to be there when you need them", "they can be relied on"),
    (
        "They would treat you with respect if you had contact with them for any reason",
        "they would treat you with respect",
    ),
    ("They treat everyone fairly regardless of who they are", "they treat everyone fairly"),
    ("They understand the issues that affect this community", "they understand local issues"),
    (
        "They are dealing with the things that matter to people in this community",
        "they deal with what matters here",
    ),
    (
        "Taking everything into account I have confidence in the police in this area",
        "you have confidence in the police here",
    ),
]

PUBLIC_CONFIDENCE = {
    "slug": "public-confidence",
    "title": "Public Confidence Survey",
    "introduction": (
        "Tell us what you think of the police where you live. Your answers help Essex Police "
        "and the Police, Fire and Crime Commissioner see how confident people are in local "
        "policing, area by area, and what to improve."
    ),
    "minutes_to_complete": 5,
    "pages": [
        {
            "title": "The job the police are doing",
            "questions": [
                {
                    "text": "Taking everything into account, how good a job do you think the "
                    "police in this area are doing?",
                    "short_text": "how good a job the police are doing",
                    "kind": Question.Kind.RATING,
                    "headline": True,
                    "choices": RATING_SCALE,
                }
            ],
        },
        {
            "title": "What you think of the police in this area",
            "questions": [
                {
                    "text": statement,
                    "short_text": f"how much you agree that {short}",
                    "help_text": "How much do you agree or disagree with this statement about "
                    "the police in this area?",
                    "kind": Question.Kind.AGREEMENT,
                    "choices": AGREEMENT_SCALE,
                }
                for statement, short in STATEMENTS
            ],
        },
        {
            "title": "Contact with the police",
            "questions": [
                {
                    "text": "Have you had contact with Essex Police in the last 12 months?",
                    "short_text": "whether you have had contact with Essex Police",
                    "kind": Question.Kind.SINGLE,
                    "choices": YES_NO,
                }
            ],
        },
        {"title": "About you", "questions": [WHERE, COMMENT]},
    ],
}

CONTACT_REASONS = [
    (VICTIM, False),
    ("Reporting a crime you saw or heard about", False),
    ("Reporting anti-social behaviour", False),
    ("Reporting a road traffic collision", False),
    ("Asking for information or advice", False),
    ("Something else", False),
]

CONTACT_AND_VICTIM = {
    "slug": "contact-and-victim-satisfaction",
    "title": "Contact and Victim Satisfaction Survey",
    "introduction": (
        "If you have been in touch with Essex Police, or were the victim of a crime you "
        "reported, tell us how it went. Your answers show us where we are getting it right and "
        "where we must do better."
    ),
    "minutes_to_complete": 5,
    "pages": [
        {
            "title": "Your contact with Essex Police",
            "questions": [
                {
                    "text": "What was the main reason for your most recent contact with Essex "
                    "Police?",
                    "short_text": "the main reason for your contact",
                    "kind": Question.Kind.SINGLE,
                    "choices": CONTACT_REASONS,
                }
            ],
        },
        {
            "title": "How satisfied you were",
            "questions": [
                {
                    "text": f"How satisfied were you with {aspect}?",
                    "short_text": f"how satisfied you were with {aspect}",
                    "kind": Question.Kind.SINGLE,
                    "choices": SATISFACTION_SCALE,
                    "headline": aspect == "the whole experience",
                }
                for aspect in [
                    "how easy it was to contact the police",
                    "the actions the police took",
                    "how well you were kept informed",
                    "how you were treated",
                    "the whole experience",
                ]
            ],
        },
        {
            "title": "The crime you reported",
            "questions": [
                {
                    "text": "Were you given information about Victim Support or other services "
                    "that could help you?",
                    "short_text": "whether you were given information about Victim Support",
                    "kind": Question.Kind.SINGLE,
                    "choices": YES_NO,
                    "show_if": VICTIM,
                },
                {
                    "text": "How many times did the police update you about your case?",
                    "short_text": "how many times the police updated you",
                    "kind": Question.Kind.NUMBER,
                    "required": False,
                    "min_value": 0,
                    "max_value": 100,
                    "show_if": VICTIM,
                },
            ],
        },
        {"title": "About you", "questions": [WHERE, COMMENT]},
    ],
}

SEED_SURVEYS = [PUBLIC_CONFIDENCE, CONTACT_AND_VICTIM]


@transaction.atomic
def survey_create(*, description: dict, **fields) -> Survey:
    """Create a survey from a description like the ones above; `show_if` names a choice label
    of an earlier question."""
    survey = Survey.objects.create(
        slug=description["slug"],
        title=description["title"],
        introduction=description["introduction"],
        privacy_notice=description.get("privacy_notice", PRIVACY),
        minutes_to_complete=description.get("minutes_to_complete", 5),
        **fields,
    )
    choices_by_label: dict[str, Choice] = {}
    for page_order, page_description in enumerate(description["pages"], start=1):
        page = Page.objects.create(survey=survey, title=page_description["title"], order=page_order)
        for order, spec in enumerate(page_description["questions"], start=1):
            spec = dict(spec)
            choices = spec.pop("choices", [])
            show_if = spec.pop("show_if", None)
            question = Question.objects.create(page=page, order=order, **spec)
            if show_if:
                question.show_if.set([choices_by_label[show_if]])
            for choice_order, (label, positive) in enumerate(choices, start=1):
                choice = Choice.objects.create(
                    question=question, label=label, order=choice_order, positive=positive
                )
                choices_by_label.setdefault(label, choice)
    return survey
