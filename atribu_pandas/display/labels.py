"""API values in words a client reads: ``OUTCOME_LEADS`` as "Leads", ``last_touch`` as
"Last touch", in the report's language.

The API's closed sets (attribution models, levels, truth grades, maturity stages,
polarities, confidences) and the open values its page and the platforms show
(statuses, Meta's objectives, funnel layers) have a label each, marked for the catalogs.
Any other value still reads as words: underscores become spaces, and an upper-case code
reads as a sentence, not a shout (it stays untranslated: it is the platform's own word).
"""

from __future__ import annotations

from typing import Any

from atribu_pandas.core.language import N_, gettext

__all__ = ["VALUE_LABELS", "label", "model_description", "model_name"]

#: Value to its label in English (translated where shown, by :func:`label`).
VALUE_LABELS: dict[str, str] = {
    # Attribution models (vocabulary.MODELS).
    "last_touch": N_("Last touch"),
    "first_touch": N_("First touch"),
    "linear": N_("Linear"),
    "position_based": N_("Position based"),
    "time_decay": N_("Time decay"),
    "last_non_direct": N_("Last non-direct"),
    "split_50_50": N_("50/50 first and last"),
    # Levels.
    "campaign": N_("Campaign"),
    "ad_set": N_("Ad set"),
    "ad": N_("Ad"),
    # Statuses (the page's examples, and the platforms' usual ones).
    "ACTIVE": N_("Active"),
    "PAUSED": N_("Paused"),
    "ARCHIVED": N_("Archived"),
    "DELETED": N_("Deleted"),
    "ENABLED": N_("Enabled"),
    # Meta's campaign objectives.
    "OUTCOME_SALES": N_("Sales"),
    "OUTCOME_LEADS": N_("Leads"),
    "OUTCOME_ENGAGEMENT": N_("Engagement"),
    "OUTCOME_TRAFFIC": N_("Traffic"),
    "OUTCOME_AWARENESS": N_("Awareness"),
    "OUTCOME_APP_PROMOTION": N_("App promotion"),
    # Top performers: cohort objectives, truth grades, maturity, reasons.
    "sales": N_("Sales"),
    "leads": N_("Leads"),
    "messaging": N_("Messaging"),
    "traffic": N_("Traffic"),
    "awareness": N_("Awareness"),
    "predicted": N_("Predicted"),
    "attributed": N_("Attributed"),
    "lift": N_("Lift"),
    "cold": N_("Cold"),
    "early": N_("Early"),
    "mature": N_("Mature"),
    "calibrated": N_("Calibrated"),
    "strength": N_("Strength"),
    "weakness": N_("Weakness"),
    "forecast": N_("Forecast"),
    "fatigue": N_("Fatigue"),
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "critical": N_("Critical"),
    "attention": N_("Attention"),
    "click_intent": N_("Click intent"),
    "postclick_messaging": N_("Messaging after the click"),
    "pipeline": N_("Pipeline"),
    "attributed_revenue": N_("Attributed revenue"),
    "ugc_video": N_("UGC video"),
    "talking_head": N_("Talking head"),
    "static": N_("Static image"),
    "carousel": N_("Carousel"),
    # Creative DNA: the traits and the values the reference page and the platforms show.
    "creative_format": N_("Format"),
    "hook_type": N_("Hook"),
    "cta_type": N_("Call to action"),
    "primary_angle": N_("Angle"),
    "authority": N_("Authority"),
    "question": N_("Question"),
    "offer": N_("Offer"),
    "testimonial": N_("Testimonial"),
    "urgency": N_("Urgency"),
    "before_after": N_("Before and after"),
    "curiosity": N_("Curiosity"),
    "problem_agitate": N_("Problem and agitation"),
    "price": N_("Price"),
    "results": N_("Results"),
    "convenience": N_("Convenience"),
    "trust": N_("Trust"),
    "pain_free": N_("Pain-free"),
    "social_proof": N_("Social proof"),
    "send_message": N_("Send message"),
    "whatsapp_message": N_("WhatsApp message"),
    "book_now": N_("Book now"),
    "shop_now": N_("Shop now"),
    "get_offer": N_("Get offer"),
    "sign_up": N_("Sign up"),
    "learn_more": N_("Learn more"),
    "watch_more": N_("Watch more"),
    "prospecting": N_("Prospecting"),
    "engaged": N_("Engaged"),
    "retargeting": N_("Retargeting"),
}

_DESCRIPTIONS: dict[str, str] = {
    "last_touch": N_("All credit to the last touch before the conversion."),
    "first_touch": N_("All credit to the first touch of the journey."),
    "linear": N_("Credit split equally across every touch."),
    "position_based": N_("40% first, 40% last, 20% shared by the touches in between."),
    "time_decay": N_("More credit to recent touches: weight halves every 7 days before the sale."),
    "last_non_direct": N_("All credit to the last touch that was not a direct visit."),
    "split_50_50": N_("Half the credit to the first touch, half to the last."),
}


def label(value: Any) -> str:
    """A value of the API's vocabulary in words, in the active language.

    Examples
    --------
    >>> label("OUTCOME_LEADS"), label("platform_reported"), label("NEW_STATUS")
    ('Leads', 'platform reported', 'New status')
    """
    text = str(value)
    if text in VALUE_LABELS:
        return gettext(VALUE_LABELS[text])
    words = text.replace("_", " ")
    return words.capitalize() if words.isupper() else words


def model_name(model: str) -> str:
    """An attribution model's name in words (``last_touch``: "Last touch").

    Examples
    --------
    >>> model_name("time_decay")
    'Time decay'
    """
    return label(model)


def model_description(model: str) -> str:
    """What an attribution model credits, in a sentence.

    Examples
    --------
    >>> model_description("linear")
    'Credit split equally across every touch.'
    """
    return gettext(_DESCRIPTIONS[model]) if model in _DESCRIPTIONS else ""
