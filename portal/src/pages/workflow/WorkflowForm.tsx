/** The entry's form: react-jsonschema-form over the entry's resolved schema, validated in
 * the browser with the same JSON Schema (2020-12, ECMA-262 regexes) the gateway and the
 * owning team use. Loaded on its own: rjsf and ajv weigh more than the rest of the portal. */

import Form from "@rjsf/core";
import type { IChangeEvent } from "@rjsf/core";
import type { RJSFSchema, RJSFValidationError, UiSchema } from "@rjsf/utils";
import { customizeValidator } from "@rjsf/validator-ajv8";
import Ajv2020 from "ajv/dist/2020";
import { useMemo, useRef, useState } from "react";
import type { FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { ApiError, api, newIdempotencyKey } from "../../api/client";
import type { CatalogEntry, Example } from "../../api/types";
import { countErrors, toFormErrors } from "../../lib/errors";
import type { FormErrors } from "../../lib/errors";
import { announceApprovalsChanged } from "../../lib/hooks";
import { initialFormData, OPTIONS_WIDGET, uiSchemaWithOptions } from "../../lib/schema";
import { OptionsWidget } from "../../widgets/OptionsWidget";

const validator = customizeValidator({ AjvClass: Ajv2020 });
const widgets = { [OPTIONS_WIDGET]: OptionsWidget };
const NO_ERRORS: FormErrors = { fields: {}, environment: [], general: [] };

type Inputs = Record<string, unknown>;

export interface WorkflowFormProps {
  entry: CatalogEntry;
  formData: Inputs;
  onFormDataChange: (data: Inputs) => void;
  environment: string;
  onEnvironmentChange: (environment: string) => void;
}

export default function WorkflowForm({
  entry,
  formData,
  onFormDataChange,
  environment,
  onEnvironmentChange,
}: WorkflowFormProps) {
  const navigate = useNavigate();
  const [serverErrors, setServerErrors] = useState<FormErrors>(NO_ERRORS);
  const [clientErrorCount, setClientErrorCount] = useState(0);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  // One key per distinct request, so a double submit or a retry after a lost answer
  // returns the same run instead of starting a second one.
  const idempotency = useRef<{ request: string; key: string } | null>(null);

  const schema = entry.schema as RJSFSchema;
  const uiSchema = useMemo(
    () => uiSchemaWithOptions(entry.schema, entry.ui_schema) as UiSchema,
    [entry],
  );
  const formContext = useMemo(() => ({ formData }), [formData]);

  const applyExample = (example: Example) => {
    onFormDataChange({ ...initialFormData(entry.schema), ...example.inputs });
    if (example.environment && entry.environments.includes(example.environment)) {
      onEnvironmentChange(example.environment);
    }
    setServerErrors(NO_ERRORS);
  };

  const onChange = (event: IChangeEvent<Inputs>) => {
    onFormDataChange(event.formData ?? {});
    if (countErrors(serverErrors.fields) > 0) {
      setServerErrors((current) => ({ ...current, fields: {} }));
    }
  };

  const onSubmit = async (event: IChangeEvent<Inputs>, _native?: FormEvent) => {
    const inputs = event.formData ?? {};
    setAttempted(true);
    setClientErrorCount(0);
    const body = { workflow: entry.id, inputs, environment };
    const request = JSON.stringify(body);
    if (idempotency.current?.request !== request) {
      idempotency.current = { request, key: newIdempotencyKey() };
    }
    setBusy(true);
    setServerErrors(NO_ERRORS);
    try {
      const run = await api.submit(body, idempotency.current.key);
      announceApprovalsChanged();
      navigate(`/runs/${encodeURIComponent(run.id)}`);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError) setServerErrors(toFormErrors(err.errors));
      else setServerErrors({ ...NO_ERRORS, general: [(err as Error).message] });
    }
  };

  const onError = (errors: RJSFValidationError[]) => {
    setAttempted(true);
    setClientErrorCount(errors.length);
  };

  const fieldErrorCount = clientErrorCount + countErrors(serverErrors.fields);
  const dryRun = formData.dry_run === true;
  return (
    <div className="workflow-form">
      {entry.examples.length > 0 && (
        <div className="examples" role="group" aria-label="Examples">
          {entry.examples.map((example) => (
            <button
              key={example.name}
              type="button"
              className="button button--small"
              title={example.description}
              onClick={() => applyExample(example)}
            >
              Use example: {example.name}
            </button>
          ))}
        </div>
      )}
      {(fieldErrorCount > 0 || serverErrors.general.length > 0) && (
        <div className="notice notice--error" role="alert">
          {fieldErrorCount > 0 && (
            <p>
              {fieldErrorCount === 1
                ? "One field needs fixing; it is marked below."
                : `${fieldErrorCount} fields need fixing; they are marked below.`}
            </p>
          )}
          {serverErrors.general.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      <div className="field environment">
        <label htmlFor="environment">Environment</label>
        <select
          id="environment"
          value={environment}
          aria-describedby={serverErrors.environment.length ? "environment-error" : undefined}
          aria-invalid={serverErrors.environment.length ? true : undefined}
          onChange={(event) => onEnvironmentChange(event.target.value)}
        >
          {entry.environments.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        {serverErrors.environment.length > 0 && (
          <p id="environment-error" className="field-error">
            {serverErrors.environment.join("; ")}
          </p>
        )}
      </div>
      <Form<Inputs>
        schema={schema}
        uiSchema={uiSchema}
        formData={formData}
        formContext={formContext}
        validator={validator}
        widgets={widgets}
        extraErrors={serverErrors.fields as never}
        onChange={onChange}
        onSubmit={onSubmit}
        onError={onError}
        liveValidate={attempted ? "onChange" : undefined}
        showErrorList={false}
        focusOnFirstError
        noHtml5Validate
        disabled={busy}
      >
        <div className="form-actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={busy || !entry.can_run}
            aria-describedby="submit-hint"
          >
            Submit
          </button>
          <p id="submit-hint" className="help">
            {!entry.can_run
              ? "You may not run this workflow."
              : dryRun
                ? "Dry run is on: the run plans and reports, and changes nothing."
                : entry.approval.required
                  ? "This run changes things: it waits for an approver before it does."
                  : "This run changes things as soon as it starts."}
          </p>
        </div>
      </Form>
    </div>
  );
}
