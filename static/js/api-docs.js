// Starts Swagger UI on /docs from a file (the CSP forbids inline script).
window.addEventListener("load", () => {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
