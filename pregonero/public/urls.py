from django.urls import path

from pregonero.public import feeds, views

app_name = "public"
# Public pages, open to everyone: the organisation is named ``org`` rather than ``slug``,
# the parameter that marks the members-only pages checked by core/tests/test_isolation.py.
urlpatterns = [
    path("<slug:org>/", views.news_list, name="news"),
    path("<slug:org>/news/<int:number>/", views.news_item, name="item"),
    path("<slug:org>/news/<int:number>/images/<int:position>/", views.news_image, name="media"),
    path("<slug:org>/feed.rss", feeds.RssFeed(), name="feed_rss"),
    path("<slug:org>/feed.atom", feeds.AtomFeed(), name="feed_atom"),
    path("<slug:org>/subscribe/", views.subscribe, name="subscribe"),
    path("<slug:org>/subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("<slug:org>/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:org>/official/", views.official_channels, name="official"),
    path("<slug:org>/official/check/", views.check_account, name="check_account"),
    path("<slug:org>/official/qr/<str:ref>.svg", views.official_qr, name="official_qr"),
    path("<slug:org>/data-protection/", views.privacy, name="privacy"),
    path("<slug:org>/accessibility/", views.accessibility, name="accessibility"),
]
