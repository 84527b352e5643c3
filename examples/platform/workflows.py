"""platform's published workflows: create a Temporal namespace, set up a Nexus endpoint."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from examples.common.activity_options import QUICK as OPTIONS
    from examples.common.plans import ensure_unblocked, ensure_unchanged
    from examples.platform.activities import PlatformActivities
    from examples.platform.models import (
        ApplyEndpoint,
        CreateNamespaceInputs,
        CreateNamespaceResult,
        EndpointInputs,
        EndpointPlan,
        EndpointResult,
        NamespacePlan,
        NamespaceRef,
        NamespaceState,
        PlanEndpoint,
        RegisterNamespace,
    )
    from foyer.contracts.names import handler_task_queue
    from foyer.publish import Approvals, WorkflowRequest


def _namespace_plan(state: NamespaceState, inputs: CreateNamespaceInputs) -> NamespacePlan:
    plan = NamespacePlan(current=state, retention_days=inputs.retention_days)
    if state.exists:
        owner = f" (owned by {state.owner_team})" if state.owner_team else ""
        plan.blockers.append(f"Namespace {inputs.namespace} already exists{owner}")
    else:
        plan.actions.append(
            f"Register namespace {inputs.namespace} for {inputs.owner_team}, "
            f"keeping closed workflows {inputs.retention_days} days"
        )
    return plan


@workflow.defn(name="CreateTemporalNamespace")
class CreateTemporalNamespace:
    """Register a Temporal namespace for a team."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> CreateNamespaceResult:
        approvals = Approvals(request)
        inputs = request.inputs_as(CreateNamespaceInputs)
        ref = NamespaceRef(namespace=inputs.namespace)
        approvals.set_status("pending", "Planning")
        state = await workflow.execute_activity_method(
            PlatformActivities.describe_namespace, ref, **OPTIONS
        )
        plan = _namespace_plan(state, inputs)
        approvals.publish_plan(plan)
        ensure_unblocked(plan)
        if inputs.dry_run:
            return CreateNamespaceResult(
                namespace=inputs.namespace, dry_run=True, created=False, plan=plan
            )

        approved = await approvals.wait()
        current = await workflow.execute_activity_method(
            PlatformActivities.describe_namespace, ref, **OPTIONS
        )
        ensure_unchanged(plan, _namespace_plan(current, inputs))
        approvals.set_status("running", f"Registering {inputs.namespace}")
        created = await workflow.execute_activity_method(
            PlatformActivities.register_namespace,
            RegisterNamespace(
                namespace=inputs.namespace,
                owner_team=inputs.owner_team,
                retention_days=inputs.retention_days,
                description=inputs.description,
                run_id=request.run_id,
            ),
            **OPTIONS,
        )
        return CreateNamespaceResult(
            namespace=inputs.namespace,
            dry_run=False,
            created=True,
            state=created,
            plan=plan,
            approved_by=[record.approver.subject for record in approved],
        )


@workflow.defn(name="SetUpNexusEndpoint")
class SetUpNexusEndpoint:
    """Create a Nexus endpoint that routes to a team's namespace, or retarget one."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> EndpointResult:
        approvals = Approvals(request)
        inputs = request.inputs_as(EndpointInputs)
        order = PlanEndpoint(
            endpoint=inputs.endpoint,
            target_namespace=inputs.target_namespace,
            target_task_queue=inputs.target_task_queue
            or handler_task_queue(inputs.target_namespace),
            replace_existing=inputs.replace_existing,
        )
        approvals.set_status("pending", "Planning")
        plan: EndpointPlan = await workflow.execute_activity_method(
            PlatformActivities.plan_endpoint, order, **OPTIONS
        )
        approvals.publish_plan(plan)
        ensure_unblocked(plan)
        if inputs.dry_run or plan.change == "none":
            return EndpointResult(
                endpoint=inputs.endpoint, dry_run=inputs.dry_run, change=plan.change, plan=plan
            )

        approved = await approvals.wait()
        current = await workflow.execute_activity_method(
            PlatformActivities.plan_endpoint, order, **OPTIONS
        )
        ensure_unchanged(plan, current)
        ensure_unblocked(current)
        approvals.set_status("running", f"Setting up {inputs.endpoint}")
        state = await workflow.execute_activity_method(
            PlatformActivities.apply_endpoint,
            ApplyEndpoint(
                endpoint=inputs.endpoint,
                target_namespace=order.target_namespace,
                target_task_queue=order.target_task_queue,
                description=inputs.description,
                expected=plan.current,
            ),
            **OPTIONS,
        )
        return EndpointResult(
            endpoint=inputs.endpoint,
            dry_run=False,
            change=plan.change,
            state=state,
            plan=plan,
            approved_by=[record.approver.subject for record in approved],
        )


WORKFLOWS: tuple[type, ...] = (CreateTemporalNamespace, SetUpNexusEndpoint)
