"""Load profile for `scripts/load_test.sh`: staff using the screens and the API at once.

Three kinds of users, weighted like a working day: technicians browse and search devices,
trainers open households, courses and allocations, integrations read the API with a token.
"""

import random
import re

from locust import HttpUser, between, task

PASSWORD = "ordipratique"  # demo data only (load_demo)


def sign_in(user, username):
    page = user.client.get("/accounts/login/", name="/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    user.client.post(
        "/accounts/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": user.host + "/accounts/login/"},
        name="/accounts/login/ (POST)",
    )


class Technician(HttpUser):
    weight = 3
    wait_time = between(0.5, 2)

    def on_start(self):
        sign_in(self, "technicien")
        self.tags = re.findall(
            r'href="/devices/([A-Z]+-\d+)/"', self.client.get("/devices/", name="/devices/").text
        )

    @task(4)
    def device_list(self):
        self.client.get("/devices/", name="/devices/")

    @task(6)
    def device_page(self):
        if self.tags:
            self.client.get(f"/devices/{random.choice(self.tags)}/", name="/devices/[tag]/")

    @task(2)
    def search(self):
        self.client.get("/devices/?q=Dell", name="/devices/?q=")

    @task(1)
    def home(self):
        self.client.get("/", name="/")


class Trainer(HttpUser):
    weight = 2
    wait_time = between(0.5, 2)

    def on_start(self):
        sign_in(self, "formatrice")

    @task(3)
    def households(self):
        self.client.get("/households/", name="/households/")

    @task(3)
    def courses(self):
        self.client.get("/training/", name="/training/")

    @task(2)
    def allocations(self):
        self.client.get("/allocations/", name="/allocations/")


class ApiClient(HttpUser):
    weight = 1
    wait_time = between(0.2, 1)

    def on_start(self):
        response = self.client.post(
            "/api/auth/token/",
            json={"username": "coordinatrice", "password": PASSWORD},
            name="/api/auth/token/",
        )
        self.client.headers["Authorization"] = f"Token {response.json()['token']}"

    @task(3)
    def devices(self):
        self.client.get("/api/devices/?page_size=50", name="/api/devices/")

    @task(2)
    def households(self):
        self.client.get("/api/households/", name="/api/households/")

    @task(2)
    def allocations(self):
        self.client.get("/api/allocations/", name="/api/allocations/")
