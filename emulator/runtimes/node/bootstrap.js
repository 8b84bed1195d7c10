// apigw's Lambda runtime-interface client for Node.js (core modules only).
//
// Runs the handler named by _HANDLER (`module.function`, module relative to LAMBDA_TASK_ROOT,
// CommonJS or ES module) against the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API.
"use strict";

const http = require("http");
const path = require("path");
const fs = require("fs");
const { pathToFileURL } = require("url");

const [host, port] = (() => {
  const address = process.env.AWS_LAMBDA_RUNTIME_API || "127.0.0.1:9001";
  const index = address.lastIndexOf(":");
  return [address.slice(0, index) || "127.0.0.1", Number(address.slice(index + 1))];
})();
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const PREFIX = "/2018-06-01/runtime";

function call(method, route, body, headers) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host, port, method, path: PREFIX + route, agent, headers: headers || {} },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    request.on("socket", (socket) => socket.setNoDelay(true));
    request.on("error", reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

function errorDocument(error) {
  const value = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: value.name || "Error",
    errorMessage: value.message,
    trace: String(value.stack || "").split("\n"),
  };
}

function postJson(route, document, errorType) {
  const headers = { "Content-Type": "application/json" };
  if (errorType) headers["Lambda-Runtime-Function-Error-Type"] = errorType;
  return call("POST", route, JSON.stringify(document), headers);
}

async function loadHandler(spec) {
  const dot = spec.lastIndexOf(".");
  if (dot <= 0) throw new Error(`Bad handler '${spec}': expected module.function`);
  const moduleName = spec.slice(0, dot);
  const functionName = spec.slice(dot + 1);
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const base = path.resolve(root, moduleName);
  let loaded;
  const candidates = [".mjs", ".js", ".cjs"].map((extension) => base + extension);
  const file = candidates.find((candidate) => fs.existsSync(candidate));
  if (!file) throw new Error(`Cannot find module '${moduleName}' in ${root}`);
  if (file.endsWith(".cjs")) {
    loaded = require(file);
  } else {
    try {
      loaded = require(file);
    } catch (error) {
      if (error && (error.code === "ERR_REQUIRE_ESM" || error.code === "ERR_REQUIRE_ASYNC_MODULE")) {
        loaded = await import(pathToFileURL(file).href);
      } else {
        throw error;
      }
    }
  }
  const handler = loaded[functionName] || (loaded.default && loaded.default[functionName]);
  if (typeof handler !== "function") {
    throw new Error(`${moduleName}.${functionName} is undefined or not exported`);
  }
  return handler;
}

function invokeHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(result);
    };
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === "function") {
        returned.then((result) => callback(null, result), (error) => callback(error));
      } else if (handler.length < 3) {
        callback(null, returned);
      }
    } catch (error) {
      callback(error);
    }
  });
}

async function main() {
  let handler;
  try {
    handler = await loadHandler(process.env._HANDLER || "");
  } catch (error) {
    const document = errorDocument(error);
    document.errorType = "Runtime.ImportModuleError";
    console.error(JSON.stringify(document));
    await postJson("/init/error", document, "Runtime.ImportModuleError");
    process.exit(1);
  }
  for (;;) {
    const next = await call("GET", "/invocation/next");
    if (next.status !== 200) process.exit(1);
    const requestId = next.headers["lambda-runtime-aws-request-id"] || "";
    const deadline = Number(next.headers["lambda-runtime-deadline-ms"] || 0);
    const traceId = next.headers["lambda-runtime-trace-id"];
    if (traceId) process.env._X_AMZN_TRACE_ID = traceId;
    const context = {
      awsRequestId: requestId,
      invokedFunctionArn: next.headers["lambda-runtime-invoked-function-arn"] || "",
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME || "",
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION || "$LATEST",
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || "128",
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME || "",
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME || "",
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    };
    try {
      const event = next.body.length ? JSON.parse(next.body.toString("utf8")) : null;
      const result = await invokeHandler(handler, event, context);
      const payload = result === undefined ? "null" : JSON.stringify(result);
      await call("POST", `/invocation/${requestId}/response`, payload, {
        "Content-Type": "application/json",
      });
    } catch (error) {
      const document = errorDocument(error);
      console.error(`ERROR\t${document.errorType}: ${document.errorMessage}`);
      await postJson(`/invocation/${requestId}/error`, document, "Unhandled");
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
