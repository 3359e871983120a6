"""The seed chapter's Python client (Chapter 64, sections 64.2 to 64.8), run against Steward.

The chapter's code below is copied as it is printed, with one change: ADMIN_BASE_URL comes from
the environment (for example http://127.0.0.1:8080/v1) instead of Anthropic's address. Section
64.7 (get_usage, CostAlertSystem) is included; the chapter has no way to record usage, so the
test that runs this script ingests some before the run and says what it recorded.

`main` exercises every function against the server and exits non-zero on the first failure.

Environment:
  ADMIN_BASE_URL            the server's base URL, /v1 included
  ANTHROPIC_ADMIN_KEY       an admin key of the organization
  SEED_DEVELOPER_USER_ID    a developer member who has an admin key of their own, for offboarding
  SEED_DEVELOPER_ADMIN_KEY  that developer's admin key: the keys it creates have created_by.id of
                            the developer, which is what offboard_developer looks for
  SEED_USAGE_AT             when the usage recorded before the run happened (RFC 3339, UTC): two
                            requests in the default workspace, of claude-opus-4-5 and
                            claude-haiku-4-5, the organization's only usage
  SEED_USAGE_COST_USD       their cost in USD (more than 0)

CostAlertSystem reads the month from datetime.now(), the local time: run it with TZ=UTC, since
Steward's months are UTC ones.

Needs httpx (Debian: python3-httpx).
"""

import httpx
import os
from typing import Optional

ADMIN_BASE_URL = os.environ["ADMIN_BASE_URL"]

class AnthropicAdminClient:
    """Anthropic Admin API client"""
    
    def __init__(self, admin_key: Optional[str] = None):
        self.admin_key = admin_key or os.environ["ANTHROPIC_ADMIN_KEY"]
        self.base_url = ADMIN_BASE_URL
        self.headers = {
            "x-api-key": self.admin_key,
            "anthropic-version": "2023-06-01",
            "content-type": "application/json"
        }
        self.client = httpx.Client(timeout=30)
    
    def get(self, path: str, params: dict = None) -> dict:
        response = self.client.get(
            f"{self.base_url}{path}",
            headers=self.headers,
            params=params
        )
        response.raise_for_status()
        return response.json()
    
    def post(self, path: str, body: dict) -> dict:
        response = self.client.post(
            f"{self.base_url}{path}",
            headers=self.headers,
            json=body
        )
        response.raise_for_status()
        return response.json()
    
    def delete(self, path: str) -> dict:
        response = self.client.delete(
            f"{self.base_url}{path}",
            headers=self.headers
        )
        response.raise_for_status()
        return response.json()

# GET /v1/users - paginated list of all users
def list_all_users(admin: AnthropicAdminClient) -> list[dict]:
    """Get all users in the organization (handles pagination)"""
    all_users = []
    after_cursor = None
    
    while True:
        params = {"limit": 100}
        if after_cursor:
            params["after_id"] = after_cursor
        
        response = admin.get("/users", params=params)
        users = response.get("data", [])
        all_users.extend(users)
        
        if not response.get("has_more", False):
            break
        
        after_cursor = users[-1]["id"] if users else None
    
    return all_users

# POST /v1/users/invite
def invite_user(admin: AnthropicAdminClient, email: str, role: str = "developer") -> dict:
    """
    Invite a user to join the organization.
    role: owner | admin | developer | billing
    """
    return admin.post("/users/invite", {"email": email, "role": role})

# PATCH /v1/users/{user_id}
def update_user_role(admin: AnthropicAdminClient, user_id: str, new_role: str) -> dict:
    response = admin.client.patch(
        f"{admin.base_url}/users/{user_id}",
        headers=admin.headers,
        json={"role": new_role}
    )
    response.raise_for_status()
    return response.json()

# DELETE /v1/users/{user_id}
def remove_user(admin: AnthropicAdminClient, user_id: str) -> dict:
    """Remove a user from the organization (also revokes all their API keys)"""
    return admin.delete(f"/users/{user_id}")

# GET /v1/api_keys
def list_api_keys(admin: AnthropicAdminClient, workspace_id: Optional[str] = None) -> list[dict]:
    """List all API keys (optionally filtered by workspace)"""
    params = {}
    if workspace_id:
        params["workspace_id"] = workspace_id
    return admin.get("/api_keys", params=params).get("data", [])

# POST /v1/api_keys
def create_api_key(
    admin: AnthropicAdminClient,
    name: str,
    workspace_id: str,
    expires_at: Optional[str] = None
) -> dict:
    """
    Create a new API key.
    IMPORTANT: The full key is returned only once — save it immediately.
    """
    body = {"name": name, "workspace_id": workspace_id}
    if expires_at:
        body["expires_at"] = expires_at  # ISO 8601 format
    return admin.post("/api_keys", body)

# DELETE /v1/api_keys/{api_key_id}
def revoke_api_key(admin: AnthropicAdminClient, api_key_id: str) -> dict:
    """Immediately revoke an API key (all requests using this key will fail instantly)"""
    return admin.delete(f"/api_keys/{api_key_id}")

def list_workspaces(admin: AnthropicAdminClient) -> list[dict]:
    return admin.get("/workspaces").get("data", [])

# POST /v1/workspaces
def create_workspace(
    admin: AnthropicAdminClient,
    name: str,
    monthly_spend_limit: float,
    rpm_limit: int = 100
) -> dict:
    """Create a new workspace with usage limits"""
    return admin.post("/workspaces", {
        "name": name,
        "usage_limits": {
            "monthly_spend_usd": monthly_spend_limit,
            "requests_per_minute": rpm_limit
        }
    })

# GET /v1/usage
def get_usage(
    admin: AnthropicAdminClient,
    start_date: str,   # YYYY-MM-DD
    end_date: str,
    workspace_id: Optional[str] = None,
    granularity: str = "day"  # hour | day | month
) -> dict:
    params = {"start_date": start_date, "end_date": end_date, "granularity": granularity}
    if workspace_id:
        params["workspace_id"] = workspace_id
    return admin.get("/usage", params=params)

from datetime import datetime

class CostAlertSystem:
    """Automated cost alerting system based on the Admin API"""
    
    def __init__(self, admin: AnthropicAdminClient, alert_threshold_usd: float):
        self.admin = admin
        self.threshold = alert_threshold_usd
    
    def check_and_alert(self) -> bool:
        """Check current month usage; alert if threshold exceeded"""
        today = datetime.now()
        month_start = today.replace(day=1).strftime("%Y-%m-%d")
        today_str = today.strftime("%Y-%m-%d")
        
        usage = self.admin.get("/usage", params={
            "start_date": month_start,
            "end_date": today_str,
            "granularity": "month"
        })
        
        total_cost = usage.get("total", {}).get("total_cost_usd", 0)
        
        if total_cost > self.threshold:
            self._send_alert(total_cost)
            return True
        return False
    
    def _send_alert(self, current_cost: float):
        alert_message = f"""
[COST ALERT] Anthropic API Usage Exceeds Budget

Current month usage: ${current_cost:.2f} USD
Alert threshold: ${self.threshold:.2f} USD
Overage: {((current_cost / self.threshold - 1) * 100):.1f}%

Log in to Anthropic Console for details. Consider:
1. Check for anomalous API calls
2. Adjust Workspace usage limits
3. Optimize model selection (use Haiku instead of Opus for high-frequency calls)
"""
        print(alert_message)
        # In production: send via email, Slack, PagerDuty, etc.

class UserLifecycleManager:
    """Automated user onboarding/offboarding management"""
    
    def __init__(self, admin: AnthropicAdminClient):
        self.admin = admin
    
    def onboard_developer(
        self, email: str, name: str, team: str, workspace_id: str
    ) -> dict:
        """
        Developer onboarding:
        1. Invite user to organization
        2. Create a dedicated API key for the user
        3. Return credentials for secure delivery
        """
        invite = self.admin.post("/users/invite", {
            "email": email, "role": "developer"
        })
        
        from datetime import datetime, timedelta
        expires = (datetime.now() + timedelta(days=365)).isoformat() + "Z"
        
        api_key = create_api_key(
            self.admin,
            name=f"{name} - {team}",
            workspace_id=workspace_id,
            expires_at=expires
        )
        
        return {
            "invite_id": invite["id"],
            "invite_email": email,
            "api_key_id": api_key["id"],
            "api_key": api_key["key"],  # One-time display — save and deliver securely
            "workspace_id": workspace_id,
            "expires_at": expires
        }
    
    def offboard_developer(self, user_id: str) -> dict:
        """
        Developer offboarding:
        1. Revoke all API keys belonging to this user
        2. Remove user from organization
        """
        revoked_keys = []
        
        all_keys = list_api_keys(self.admin)
        user_keys = [k for k in all_keys if k.get("created_by", {}).get("id") == user_id]
        
        for key in user_keys:
            revoke_api_key(self.admin, key["id"])
            revoked_keys.append(key["id"])
        
        removal = self.admin.delete(f"/users/{user_id}")
        
        return {
            "user_id": user_id,
            "deleted": removal.get("deleted", False),
            "revoked_keys": revoked_keys,
            "revoked_count": len(revoked_keys)
        }


# ------------------------------------------------------------------------------------------------
# Not from the chapter: exercising the code above against a Steward server.
# ------------------------------------------------------------------------------------------------

import sys
import traceback
import uuid
from datetime import datetime, timezone

CHECKS = 0


def check(condition: bool, message: str) -> None:
    """An assertion that `python -O` cannot strip."""
    global CHECKS
    CHECKS += 1
    if not condition:
        raise AssertionError(message)


def has_fields(obj: dict, example: dict, where: str) -> None:
    """Every field of the chapter's example is present, with the same JSON type."""
    for key, value in example.items():
        check(key in obj, f"{where}: missing field {key!r} in {obj!r}")
        got = obj[key]
        if isinstance(value, bool):
            check(isinstance(got, bool), f"{where}.{key}: expected a boolean, got {got!r}")
        elif isinstance(value, (int, float)):
            check(isinstance(got, (int, float)) and not isinstance(got, bool),
                  f"{where}.{key}: expected a number, got {got!r}")
        elif isinstance(value, dict):
            check(isinstance(got, dict), f"{where}.{key}: expected an object, got {got!r}")
            has_fields(got, value, f"{where}.{key}")
        else:
            check(isinstance(got, type(value)), f"{where}.{key}: expected {type(value).__name__}, got {got!r}")


def instant(text: str) -> datetime:
    """An RFC 3339 timestamp (or the onboarding's naive isoformat()+"Z") as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def same_instant_to_the_ms(returned: str, requested: str) -> bool:
    a = instant(returned)
    b = instant(requested)
    return a == b.replace(microsecond=(b.microsecond // 1000) * 1000)


def accept_invite(admin: AnthropicAdminClient, token: str, name: str) -> dict:
    """Steward's invite acceptance: the invited person's own call, with the token and no admin key."""
    response = admin.client.post(f"{admin.base_url}/invites/accept", json={"token": token, "name": name})
    response.raise_for_status()
    return response.json()


def exercise() -> None:
    run = uuid.uuid4().hex[:8]
    developer_id = os.environ["SEED_DEVELOPER_USER_ID"]
    developer_admin_key = os.environ["SEED_DEVELOPER_ADMIN_KEY"]
    admin = AnthropicAdminClient()

    # 64.3.1 Get organization information
    org_info = admin.get("/organizations")
    has_fields(org_info, {"id": "", "name": "", "created_at": "",
                          "billing": {"plan": "", "current_month_usage_usd": 0.0},
                          "settings": {"require_mfa": True, "allowed_ip_ranges": []}}, "organization")

    # 64.3.2 Update organization settings (with POST, as the chapter does)
    updated = admin.post("/organizations", {
        "settings": {
            "require_mfa": True,
            "allowed_ip_ranges": ["203.0.113.0/24"]
        }
    })
    check(updated["settings"]["require_mfa"] is True, f"require_mfa not set: {updated!r}")
    check(updated["settings"]["allowed_ip_ranges"] == ["203.0.113.0/24"], f"ranges not set: {updated!r}")
    check(admin.get("/organizations")["settings"] == updated["settings"], "settings not kept")

    # 64.4.2 invite_user, then the people accept: enough members for more than one page of 100
    # (at least three new ones; the test that runs this script adds most of them beforehand,
    # since each POST from httpx waits out TCP delayed ACK on loopback, about 40 ms).
    emails = set()
    for i in range(max(3, 102 - len(list_all_users(admin)))):
        email = f"member{i}.{run}@acme.example"
        invite = invite_user(admin, email, "developer" if i % 2 == 0 else "admin")
        has_fields(invite, {"id": "", "email": "", "role": "", "status": "", "invited_at": "", "expires_at": ""},
                   "invite")
        check(invite["email"] == email and invite["status"] == "pending", f"invite: {invite!r}")
        check(invite["role"] == ("developer" if i % 2 == 0 else "admin"), f"invite role: {invite!r}")
        check((instant(invite["expires_at"]) - instant(invite["invited_at"])).days == 7,
              f"an invite should last 7 days: {invite!r}")
        accept_invite(admin, invite["token"], f"Member {i}")
        emails.add(email)

    # 64.4.1 list_all_users
    all_users = list_all_users(admin)
    listed = {u["email"] for u in all_users}
    check(len(all_users) > 100, f"expected more than 100 users, got {len(all_users)}")
    check(emails <= listed, f"missing users: {sorted(emails - listed)[:5]}")
    check(len({u["id"] for u in all_users}) == len(all_users), "a user was listed twice")
    for user in all_users:
        has_fields(user, {"id": "", "email": "", "name": "", "role": "", "created_at": "", "status": ""}, "user")
        check(user["status"] == "active", f"user status: {user!r}")
        check("last_active_at" in user, f"user without last_active_at: {user!r}")

    # 64.4.3 update_user_role
    member = next(u for u in all_users if u["email"] == f"member0.{run}@acme.example")
    changed = update_user_role(admin, member["id"], "admin")
    has_fields(changed, {"id": "", "email": "", "name": "", "role": "", "updated_at": ""}, "updated user")
    check(changed["id"] == member["id"] and changed["role"] == "admin", f"role not changed: {changed!r}")
    check(changed["email"] == member["email"] and changed["name"] == "Member 0", f"user changed: {changed!r}")
    check(admin.get(f"/users/{member['id']}")["role"] == "admin", "role not kept")

    # 64.6.2 create_workspace, 64.6.1 list_workspaces
    production = create_workspace(admin, f"Production {run}", 5000.00, 1000)
    development = create_workspace(admin, f"Development {run}", 500.00)
    for workspace, limits in ((production, {"monthly_spend_usd": 5000.0, "requests_per_minute": 1000}),
                              (development, {"monthly_spend_usd": 500.0, "requests_per_minute": 100})):
        has_fields(workspace, {"id": "", "name": "", "created_at": "", "usage_limits": {}}, "workspace")
        check(workspace["usage_limits"] == limits, f"limits: {workspace!r}")
    workspaces = {w["id"]: w for w in list_workspaces(admin)}
    check(production["id"] in workspaces and development["id"] in workspaces, "workspace not listed")
    check(workspaces[production["id"]]["name"] == f"Production {run}", "workspace name")
    check(workspaces[development["id"]]["usage_limits"]["requests_per_minute"] == 100, "default rpm_limit")

    # 64.5.2 create_api_key (expires_at as the chapter writes it), 64.5.1 list_api_keys
    from datetime import timedelta
    expires = (datetime.now() + timedelta(days=365)).isoformat() + "Z"
    key = create_api_key(admin, "Customer Portal Service", production["id"], expires_at=expires)
    has_fields(key, {"id": "", "name": "", "key": "", "workspace_id": "", "created_at": "",
                     "expires_at": "", "status": ""}, "created key")
    check(key["name"] == "Customer Portal Service" and key["workspace_id"] == production["id"], f"key: {key!r}")
    check(key["status"] == "active" and key["key"].startswith("sk-ant-api03-"), f"key: {key!r}")
    check(same_instant_to_the_ms(key["expires_at"], expires), f"expires_at {key['expires_at']} != {expires}")
    other = create_api_key(admin, "Dev sandbox", development["id"])
    check(other["expires_at"] is None, f"a key without expiry: {other!r}")

    in_production = list_api_keys(admin, production["id"])
    check([k["id"] for k in in_production] == [key["id"]], f"workspace filter: {in_production!r}")
    listed_key = in_production[0]
    has_fields(listed_key, {"id": "", "name": "", "created_at": "", "status": "", "workspace_id": "",
                            "created_by": {"id": "", "email": ""}, "partial_key": ""}, "listed key")
    check("last_used_at" in listed_key, "listed key without last_used_at")
    check("key" not in listed_key, "the full key must not be listed")
    check(listed_key["partial_key"] == f"sk-ant-api03-...{key['key'][-4:]}", f"partial_key: {listed_key!r}")
    check({key["id"], other["id"]} <= {k["id"] for k in list_api_keys(admin)}, "unfiltered list")

    # 64.5.3 revoke_api_key
    revoked = revoke_api_key(admin, other["id"])
    check(revoked.get("id") == other["id"] and revoked.get("deleted") is True, f"revoke: {revoked!r}")
    check(admin.get(f"/api_keys/{other['id']}")["status"] == "archived", "revoked key still active")

    # 64.4.4 remove_user (also revokes the keys issued to the user)
    leaver = next(u for u in all_users if u["email"] == f"member1.{run}@acme.example")
    issued = admin.post("/api_keys", {"name": "Leaver's key", "workspace_id": development["id"],
                                      "user_id": leaver["id"]})
    removal = remove_user(admin, leaver["id"])
    check(removal.get("id") == leaver["id"] and removal.get("deleted") is True, f"removal: {removal!r}")
    check(admin.get(f"/api_keys/{issued['id']}")["status"] == "archived", "the leaver's key is still active")
    check(leaver["id"] not in {u["id"] for u in list_all_users(admin)}, "removed user still listed")

    # 64.7.1 get_usage. The usage was recorded before the run (ingestion is not in the chapter).
    used_at = instant(os.environ["SEED_USAGE_AT"])
    used_cost = float(os.environ["SEED_USAGE_COST_USD"])
    used_day = used_at.strftime("%Y-%m-%d")
    models = {"claude-opus-4-5", "claude-haiku-4-5"}
    usage = get_usage(admin, used_day, used_day)
    has_fields(usage, {"total": {"input_tokens": 0, "output_tokens": 0, "total_cost_usd": 0.0}}, "usage")
    check(isinstance(usage.get("data"), list) and len(usage["data"]) == 1, f"one day, one bucket: {usage!r}")
    bucket = usage["data"][0]
    has_fields(bucket, {"date": "", "input_tokens": 0, "output_tokens": 0, "cache_read_tokens": 0,
                        "total_cost_usd": 0.0, "requests": 0, "model_breakdown": {}}, "usage bucket")
    check(bucket["date"] == used_day and bucket["requests"] == 2, f"usage bucket: {bucket!r}")
    check(set(bucket["model_breakdown"]) == models, f"model_breakdown: {bucket!r}")
    for model, breakdown in bucket["model_breakdown"].items():
        has_fields(breakdown, {"input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0}, f"model_breakdown.{model}")
    check(bucket["total_cost_usd"] == used_cost, f"bucket cost {bucket['total_cost_usd']} != {used_cost}")
    check(usage["total"]["total_cost_usd"] == used_cost, f"total cost: {usage['total']!r}")
    check(usage["total"]["input_tokens"] == bucket["input_tokens"] > 0, f"total tokens: {usage!r}")

    hourly = get_usage(admin, used_day, used_day, granularity="hour")
    check(len(hourly["data"]) == 24, f"expected 24 hours, got {len(hourly['data'])}")
    used_hour = used_at.strftime("%Y-%m-%dT%H:00:00Z")
    busy = [b["date"] for b in hourly["data"] if b["requests"] > 0]
    check(busy == [used_hour], f"hours with usage: {busy} (expected {used_hour})")

    month_start = used_at.replace(day=1).strftime("%Y-%m-%d")
    monthly = get_usage(admin, month_start, used_day, granularity="month")
    check([b["date"] for b in monthly["data"]] == [used_at.strftime("%Y-%m")], f"month buckets: {monthly!r}")
    check(monthly["total"]["total_cost_usd"] == used_cost, f"month total: {monthly['total']!r}")
    elsewhere = get_usage(admin, used_day, used_day, workspace_id=production["id"])
    check(elsewhere["total"]["total_cost_usd"] == 0 and elsewhere["data"][0]["requests"] == 0,
          f"workspace filter: {elsewhere!r}")
    billing = admin.get("/organizations")["billing"]
    check(billing["current_month_usage_usd"] == used_cost, f"billing: {billing!r} (expected {used_cost})")

    # 64.7.2 CostAlertSystem: over the threshold it alerts (and prints), at or under it it does not.
    import contextlib
    import io
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        alerted = CostAlertSystem(admin, used_cost / 2).check_and_alert()
    check(alerted is True, "no alert over the threshold")
    check("[COST ALERT]" in printed.getvalue() and f"${used_cost:.2f} USD" in printed.getvalue(),
          f"alert message: {printed.getvalue()!r}")
    check("Overage: 100.0%" in printed.getvalue(), f"overage: {printed.getvalue()!r}")
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet):
        check(CostAlertSystem(admin, used_cost).check_and_alert() is False, "alert at the threshold")
        check(CostAlertSystem(admin, used_cost * 1000).check_and_alert() is False, "alert under the threshold")
    check(quiet.getvalue() == "", f"printed without an alert: {quiet.getvalue()!r}")

    # 64.8 UserLifecycleManager
    manager = UserLifecycleManager(admin)
    onboarded = manager.onboard_developer(f"newdev.{run}@acme.example", "New Dev", "Payments", production["id"])
    check(onboarded["invite_id"].startswith("invite_"), f"onboard: {onboarded!r}")
    check(onboarded["api_key"].startswith("sk-ant-api03-"), f"onboard: {onboarded!r}")
    check(onboarded["workspace_id"] == production["id"], f"onboard: {onboarded!r}")
    onboard_key = admin.get(f"/api_keys/{onboarded['api_key_id']}")
    check(onboard_key["name"] == "New Dev - Payments" and onboard_key["status"] == "active",
          f"onboarding key: {onboard_key!r}")
    check(same_instant_to_the_ms(onboard_key["expires_at"], onboarded["expires_at"]),
          f"onboarding expiry {onboard_key['expires_at']} != {onboarded['expires_at']}")

    # The developer creates keys with their own admin key, so created_by.id is theirs.
    developer = AnthropicAdminClient(admin_key=developer_admin_key)
    own_keys = [create_api_key(developer, f"Developer key {i}", development["id"]) for i in range(2)]
    for own in own_keys:
        check((own.get("created_by") or {}).get("id") == developer_id, f"created_by: {own!r}")
    offboarded = manager.offboard_developer(developer_id)
    check(offboarded["deleted"] is True, f"offboard: {offboarded!r}")
    check(offboarded["revoked_count"] == 2, f"offboard: {offboarded!r}")
    check(sorted(offboarded["revoked_keys"]) == sorted(k["id"] for k in own_keys), f"offboard: {offboarded!r}")
    for own in own_keys:
        check(admin.get(f"/api_keys/{own['id']}")["status"] == "archived", f"{own['id']} still active")
    check(admin.get(f"/api_keys/{key['id']}")["status"] == "active", "an unrelated key was revoked")
    check(developer_id not in {u["id"] for u in list_all_users(admin)}, "offboarded user still listed")


def main() -> int:
    try:
        exercise()
    except httpx.HTTPStatusError as error:
        traceback.print_exc()
        print(f"FAILED: HTTP {error.response.status_code} {error.request.method} {error.request.url}: "
              f"{error.response.text}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - any failure fails the run
        traceback.print_exc()
        print(f"FAILED after {CHECKS} checks: {error}", file=sys.stderr)
        return 1
    print(f"seed client: all {CHECKS} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
