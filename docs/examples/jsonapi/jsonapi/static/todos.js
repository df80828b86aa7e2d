// The to-do page: every change goes through the JSON API with fetch(), and
// the list in the page is updated from the API's answers.
"use strict";

const app = document.getElementById("app");
const apiUrl = app.dataset.apiUrl;
const list = document.getElementById("todo-list");
const form = document.getElementById("new-todo");
const errorBox = document.getElementById("error");
const emptyNote = document.getElementById("empty");
const remaining = document.getElementById("remaining");

// Call the API and return its decoded JSON (null for 204 No Content); an
// error answer becomes an Error carrying the API's own message.
async function callApi(url, { method = "GET", body } = {}) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).error || message;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = !message;
}

function refreshSummary() {
  const items = list.querySelectorAll("li.todo");
  const open = list.querySelectorAll("li.todo:not(.done)").length;
  emptyNote.hidden = items.length > 0;
  remaining.textContent = items.length ? `${open} of ${items.length} left` : "";
}

// Build the list item for one to-do as the API returned it.
function render(todo) {
  const item = document.createElement("li");
  item.className = todo.done ? "todo done" : "todo";
  item.dataset.id = todo.id;

  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.checked = todo.done;
  const title = document.createElement("span");
  title.className = "title";
  title.textContent = todo.title;
  label.append(box, title);

  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "delete";
  remove.textContent = "Delete";
  remove.setAttribute("aria-label", `Delete ${todo.title}`);

  box.addEventListener("change", async () => {
    try {
      const updated = await callApi(todo.url, {
        method: "PATCH",
        body: { done: box.checked },
      });
      item.replaceWith(render(updated));
      showError("");
    } catch (error) {
      box.checked = !box.checked;
      showError(error.message);
    }
    refreshSummary();
  });

  remove.addEventListener("click", async () => {
    try {
      await callApi(todo.url, { method: "DELETE" });
      item.remove();
      showError("");
    } catch (error) {
      showError(error.message);
    }
    refreshSummary();
  });

  item.append(label, remove);
  return item;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = form.elements.title;
  try {
    const todo = await callApi(apiUrl, {
      method: "POST",
      body: { title: input.value },
    });
    list.append(render(todo));
    input.value = "";
    showError("");
  } catch (error) {
    showError(error.message);
  }
  refreshSummary();
  input.focus();
});

async function load() {
  try {
    const todos = await callApi(apiUrl);
    list.replaceChildren(...todos.map(render));
  } catch (error) {
    showError(error.message);
  }
  refreshSummary();
  app.setAttribute("aria-busy", "false");
}

load();
