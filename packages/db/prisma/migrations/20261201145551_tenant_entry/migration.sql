-- Enters a tenant as a user and returns their membership, in one round trip: the transaction's
-- first statement for every API request (packages/db `withMember`). The settings are
-- transaction-local, exactly as withTenant's set_config; the membership is read after they are
-- set, so row-level security applies to it as to any other read.
CREATE FUNCTION crm_enter_tenant(tenant uuid, member_user uuid)
  RETURNS TABLE (member_id uuid, member_role text)
  LANGUAGE plpgsql VOLATILE
  AS $$
  BEGIN
    PERFORM set_config('app.tenant_id', tenant::text, true), set_config('app.user_id', member_user::text, true);
    RETURN QUERY SELECT m.id, m.role::text FROM memberships m WHERE m.tenant_id = tenant AND m.user_id = member_user;
  END
  $$;
