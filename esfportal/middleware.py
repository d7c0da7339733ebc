from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class FinnishFirstLocaleMiddleware(LocaleMiddleware):
    """Speak Finnish unless the visitor chose Swedish or English with the language switcher.

    The browser's Accept-Language is not consulted: the records are Finnish, and a Finnish
    public service answers in Finnish first.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen and translation.check_for_language(chosen) else None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
