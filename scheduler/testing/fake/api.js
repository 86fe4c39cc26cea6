/*
 * The fake Pulumi Cloud REST API over the same `<root>/backend.json` the fake CLI keeps: the stack tag calls the
 * scheduler's lease makes (scheduler/cloudTags.ts), with Pulumi Cloud's status codes (its OpenAPI spec as
 * pulumi/pulumi-pulumiservice carries it, provider/pkg/cloud/spec.json):
 *   GET    /api/stacks/{org}/{project}/{stack}              GetStack: 200, the stack with its tags; 404
 *   POST   /api/stacks/{org}/{project}/{stack}/tags         AddStackTag `{name, value}`: 204; 400 invalid or exists
 *   DELETE /api/stacks/{org}/{project}/{stack}/tags/{name}  DeleteStackTag: 204; 404 "Tag not found"; 400 built-in
 * Every request needs `Authorization: token <TOKEN>` (401 otherwise) and is appended to `<root>/api.log`.
 * It listens on 127.0.0.1 (a random port) and, once it does, writes the CLI's credentials file for its URL into
 * `<root>/home` (`current`, `accessTokens`: pulumi/pulumi sdk/go/common/workspace/creds.go), as `pulumi login
 * <url>` does.
 *
 * Faults, in the state's `failures` with `command` "api GetStack" | "api AddStackTag" | "api DeleteStackTag" and
 * `key` the tag name when given:
 *   mode "hang"   never answers and changes nothing (the client gives up and closes the connection)
 *   mode "fail"   answers `status` (default 503) with `stderr` as its message, changing nothing
 *   mode "landed" applies the request, then never answers
 *   mode "late"   applies the request `delayMs` after it came (judged then: an add finds what is there by then), then answers
 *   mode "drop"   closes the connection without answering and changes nothing (undici: UND_ERR_SOCKET "other side closed")
 */
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");
const { takeFailure, withBackend } = require("./backend");

const TOKEN = "pul-fake-token";
const SYSTEM = { "pulumi:project": "intergalactic", "pulumi:runtime": "nodejs" };

function routeOf(method, url) {
    const m = /^\/api\/stacks\/([^/]+)\/([^/]+)\/([^/]+)(\/tags(?:\/([^/]+))?)?$/.exec(url.split("?")[0]);
    if (!m) return undefined;
    const [, org, project, stack, tags, tag] = m.map((x) => (x === undefined ? x : decodeURIComponent(x)));
    if (!tags && method === "GET") return { op: "GetStack", org, project, stack };
    if (tags && !tag && method === "POST") return { op: "AddStackTag", org, project, stack };
    if (tag && method === "DELETE") return { op: "DeleteStackTag", org, project, stack, tag };
    return undefined;
}

/** Applies one request to the backend: its status and body. */
function apply(root, route, body) {
    return withBackend(root, (b) => {
        const s = b.stacks[route.stack];
        if (!s || route.org !== (b.organization || "intergalactic")) return [404, { code: 404, message: `Stack '${route.org}/${route.project}/${route.stack}' not found` }];
        if (route.op === "GetStack") return [200, { orgName: route.org, projectName: route.project, stackName: route.stack, tags: { ...SYSTEM, ...s.tags }, version: s.history.length }];
        if (route.op === "AddStackTag") {
            const { name, value } = body || {};
            if (typeof name !== "string" || !/^[a-zA-Z0-9-_.:]{1,40}$/.test(name) || typeof value !== "string" || Buffer.byteLength(value, "utf8") > 256) {
                return [400, { code: 400, message: `invalid stack tag ${JSON.stringify(name)}` }];
            }
            if (name in SYSTEM || name in s.tags) return [400, { code: 400, message: `stack tag ${JSON.stringify(name)} already exists` }];
            s.tags[name] = value;
            return [204];
        }
        if (route.tag in SYSTEM) return [400, { code: 400, message: "built-in tags cannot be deleted" }];
        if (!(route.tag in s.tags)) return [404, { code: 404, message: "Tag not found" }];
        delete s.tags[route.tag];
        return [204];
    });
}

function answer(res, [status, body]) {
    if (res.destroyed || res.writableEnded) return;
    if (body === undefined) return void res.writeHead(status).end();
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

async function serve(root, req, res, text) {
    const route = routeOf(req.method, req.url);
    let body;
    try {
        body = text ? JSON.parse(text) : undefined;
    } catch {
        return answer(res, [400, { code: 400, message: "malformed JSON" }]);
    }
    fs.appendFileSync(path.join(root, "api.log"), JSON.stringify([req.method, req.url, ...(body === undefined ? [] : [body])]) + "\n");
    if (req.headers.authorization !== `token ${TOKEN}`) return answer(res, [401, { code: 401, message: "Unauthorized: No credentials provided or are invalid." }]);
    if (req.headers.accept !== "application/vnd.pulumi+8") return answer(res, [406, { code: 406, message: "Accept: application/vnd.pulumi+8 expected" }]);
    if (!route) return answer(res, [404, { code: 404, message: `no route ${req.method} ${req.url}` }]);
    const key = route.op === "AddStackTag" ? body && body.name : route.tag;
    const fault = withBackend(root, (b) => takeFailure(b, `api ${route.op}`, false, key));
    const gone = new Promise((resolve) => res.on("close", resolve));
    if (fault && fault.mode === "hang") return;
    if (fault && fault.mode === "drop") return void req.socket.destroy();
    if (fault && fault.mode === "fail") return answer(res, [fault.status || 503, { code: fault.status || 503, message: fault.stderr || "Service Unavailable" }]);
    if (fault && fault.mode === "late") await new Promise((resolve) => setTimeout(resolve, fault.delayMs || 0));
    const result = apply(root, route, body);
    if (fault && fault.mode === "landed") return gone;
    answer(res, result);
}

/** Serves the fake Pulumi Cloud API for the backend at `root`; `url()` is its URL once it listens. */
function startApi(root) {
    let url;
    const server = http.createServer((req, res) => {
        let text = "";
        req.on("data", (d) => (text += d.toString("utf8")));
        req.on("end", () => void serve(root, req, res, text).catch((err) => answer(res, [500, { code: 500, message: String(err) }])));
    });
    server.listen(0, "127.0.0.1", () => {
        url = `http://127.0.0.1:${server.address().port}`;
        const home = path.join(root, "home");
        fs.mkdirSync(home, { recursive: true });
        fs.writeFileSync(path.join(home, "credentials.json"), JSON.stringify({ current: url, accessTokens: { [url]: TOKEN }, accounts: { [url]: { accessToken: TOKEN, username: "ci", organizations: ["intergalactic"] } } }, null, 4));
    });
    server.unref();
    return {
        url: () => url,
        close: () => {
            server.closeAllConnections();
            server.close();
        },
    };
}

module.exports = { startApi, TOKEN };
