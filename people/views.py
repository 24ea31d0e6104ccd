from django.shortcuts import render


def person_list(request):
    return render(request, "people/person_list.html", {})
