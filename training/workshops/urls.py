from programs.events.urls import event_urls

from .views import WORKSHOP_PAGES

# HR: programs/<slug>/workshops/[new/ | <code>/ [cancel/ | attendance/]];
# participants: workshops/<code>/[register/ | unregister/ | invite.ics].
# Names: WORKSHOP_PAGES.urls.
urlpatterns = event_urls(WORKSHOP_PAGES, hr="programs/<slug:slug>/workshops/", people="workshops/")
