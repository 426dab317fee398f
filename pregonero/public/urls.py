from django.urls import path

from pregonero.public import feeds, views

app_name = "public"
urlpatterns = [
    path("<slug:slug>/", views.news_list, name="news"),
    path("<slug:slug>/news/<int:number>/", views.news_item, name="item"),
    path("<slug:slug>/news/<int:number>/images/<int:position>/", views.news_image, name="media"),
    path("<slug:slug>/feed.rss", feeds.RssFeed(), name="feed_rss"),
    path("<slug:slug>/feed.atom", feeds.AtomFeed(), name="feed_atom"),
    path("<slug:slug>/subscribe/", views.subscribe, name="subscribe"),
    path("<slug:slug>/subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
