from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """French unless the user picked another language with the switch in the footer.

    Django's own middleware follows the browser's Accept-Language; a French programme's
    shared workshop PCs and phones are often set to English, and the screens must match
    the printed documents, so only an explicit choice (the language cookie) changes it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
