import {
  cancelAppointment,
  createAppointment,
  getAppointment,
  getMyCalendarFeed,
  listAppointments,
  rotateMyCalendarFeed,
  updateAppointment,
  ZAppointmentIdInput,
  ZCreateAppointmentInput,
  ZListAppointmentsInput,
  ZUpdateAppointmentInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const appointmentsRouter = {
  list: tenantProcedure.access('appointments.read').input(ZListAppointmentsInput).query(({ ctx, input }) => listAppointments(ctx.deps, input)),
  get: tenantProcedure.access('appointments.read').input(ZAppointmentIdInput).query(({ ctx, input }) => getAppointment(ctx.deps, input)),
  create: tenantProcedure.access('appointments.write').input(ZCreateAppointmentInput).mutation(({ ctx, input }) => createAppointment(ctx.deps, input)),
  update: tenantProcedure.access('appointments.write').input(ZUpdateAppointmentInput).mutation(({ ctx, input }) => updateAppointment(ctx.deps, input)),
  cancel: tenantProcedure.access('appointments.write').input(ZAppointmentIdInput).mutation(({ ctx, input }) => cancelAppointment(ctx.deps, input)),
  myFeed: tenantProcedure.access('appointments.read').query(({ ctx }) => getMyCalendarFeed(ctx.deps)),
  rotateFeed: tenantProcedure.access('appointments.read').mutation(({ ctx }) => rotateMyCalendarFeed(ctx.deps)),
} satisfies TRPCRouterRecord;
