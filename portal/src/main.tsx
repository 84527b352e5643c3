import { lazy, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Route, Routes } from "react-router-dom";
import { AuthProvider } from "./auth";
import { Layout } from "./components/Layout";
import { CatalogPage } from "./pages/CatalogPage";
import { prefetchCatalog, prefetchMe } from "./lib/prefetch";
import "./styles.css";

prefetchMe();
if (window.location.pathname === "/") prefetchCatalog();

const WorkflowPage = lazy(() => import("./pages/WorkflowPage"));
const RunPage = lazy(() => import("./pages/RunPage"));
const RunsPage = lazy(() => import("./pages/RunsPage"));
const ApprovalsPage = lazy(() => import("./pages/ApprovalsPage"));
const NotFoundPage = lazy(() => import("./pages/NotFoundPage"));

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <BrowserRouter>
      <AuthProvider>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<CatalogPage />} />
            <Route path="workflows/:id" element={<WorkflowPage />} />
            <Route path="runs" element={<RunsPage />} />
            <Route path="runs/:id" element={<RunPage />} />
            <Route path="approvals" element={<ApprovalsPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AuthProvider>
    </BrowserRouter>
  </StrictMode>,
);
