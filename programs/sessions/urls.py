from ..events.urls import event_urls
from .views import SESSION_PAGES

# HR: manage/<slug>/sessions/[new/ | <code>/ [cancel/ | attendance/]];
# employees: sessions/<code>/[register/ | unregister/ | invite.ics]. Names: SESSION_PAGES.urls.
urlpatterns = event_urls(SESSION_PAGES, hr="manage/<slug:slug>/sessions/", people="sessions/")
