package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/staff"
)

func cmdUserSet(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("user set", "使い方: hogo user set NAME [--role ROLE] [--disable | --enable]\n利用者の役割を変え、または無効・有効にします。無効にするとログイン中のセッションも終わります。",
		"Usage: hogo user set NAME [--role ROLE] [--disable | --enable]\nChanges a user's role, or disables or enables them. Disabling ends their sessions.")
	role := fs.String("role", "", "new role: admin, manager, desk, staff or auditor")
	disable := fs.Bool("disable", false, "disable the user")
	enable := fs.Bool("enable", false, "enable the user (also lifts a lockout)")
	sf := addStoreFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (*role == "" && !*disable && !*enable) || (*disable && *enable) {
		fs.Usage()
		return fail(2, "")
	}
	o, err := openWithAudit(ctx, sf, false)
	if err != nil {
		return err
	}
	defer o.Close()
	u, err := findUser(ctx, o, pos[0])
	if err != nil {
		return err
	}
	svc := staff.New(o.db, o.log)
	actor := cliActor()
	if *role != "" {
		if err := svc.SetRole(ctx, actor, u.ID, hogo.Role(*role)); err != nil {
			return err
		}
	}
	if *disable || *enable {
		if err := svc.SetDisabled(ctx, actor, u.ID, *disable); err != nil {
			return err
		}
	}
	fmt.Fprintln(e.io.out, e.p.msg("user.updated", u.Name))
	return nil
}

func findUser(ctx context.Context, o *opened, name string) (*hogo.User, error) {
	u, err := o.db.FindUserByName(ctx, name)
	if hogo.ErrorCode(err) == hogo.ENOTFOUND {
		return nil, fail(1, "there is no user named %q; see hogo user list", name)
	}
	return u, err
}

func cmdUserPassword(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("user password", "使い方: hogo user password NAME [--password-stdin]\nパスワードを再設定します。新しいパスワードは自動生成して一度だけ表示します（--password-stdin なら標準入力から）。ロックも解除され、ログイン中のセッションは終わります。",
		"Usage: hogo user password NAME [--password-stdin]\nResets a password: a new one is generated and printed once (or read with --password-stdin). It lifts a lockout and ends the user's sessions.")
	stdin := fs.Bool("password-stdin", false, "read the new password from standard input")
	sf := addStoreFlags(fs)
	name, err := parseOne(fs, args)
	if err != nil {
		return err
	}
	password := staff.GeneratePassword()
	generated := true
	if *stdin {
		if password, err = readPasswordStdin(e.io.in); err != nil {
			return fail(2, "%v", err)
		}
		generated = false
	}
	o, err := openWithAudit(ctx, sf, false)
	if err != nil {
		return err
	}
	defer o.Close()
	u, err := findUser(ctx, o, name)
	if err != nil {
		return err
	}
	if err := staff.New(o.db, o.log).SetPassword(ctx, cliActor(), u.ID, password); err != nil {
		return err
	}
	fmt.Fprintln(e.io.out, e.p.msg("user.reset", u.Name))
	if generated {
		fmt.Fprintln(e.io.out, e.p.msg("user.password"))
		fmt.Fprintln(e.io.out, password)
	}
	return nil
}

func cmdTokenList(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("token list", "使い方: hogo token list [NAME]\nAPI トークンの一覧（トークン自体は保存されていないため表示されません）。",
		"Usage: hogo token list [NAME]\nLists API tokens (the tokens themselves are not stored and cannot be shown).")
	sf := addStoreFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, sf, false)
	if err != nil {
		return err
	}
	defer db.Close()
	var userID int64
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
		if len(pos) == 1 && u.Name == pos[0] {
			userID = u.ID
		}
	}
	if len(pos) == 1 && userID == 0 {
		return fail(1, "there is no user named %q; see hogo user list", pos[0])
	}
	toks, err := db.ListTokens(ctx, userID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.io.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tLABEL\tPREFIX\tCREATED\tLAST USED\tSTATUS")
	now := e.now()
	for _, t := range toks {
		status := "active"
		switch {
		case t.Revoked:
			status = "revoked"
		case !t.ExpiresAt.IsZero() && now.After(t.ExpiresAt):
			status = "expired"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s…\t%s\t%s\t%s\n", t.ID, names[t.UserID], t.Name, t.Prefix,
			t.CreatedAt.In(hogo.Tokyo).Format("2006-01-02 15:04"), fmtTime(t.LastUsedAt), status)
	}
	return tw.Flush()
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(hogo.Tokyo).Format("2006-01-02 15:04")
}

func cmdTokenRevoke(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("token revoke", "使い方: hogo token revoke ID\nAPI トークンを失効させます（ID は hogo token list で確認）。",
		"Usage: hogo token revoke ID\nRevokes an API token (IDs from hogo token list).")
	sf := addStoreFlags(fs)
	arg, err := parseOne(fs, args)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return fail(2, "%q is not a token ID: use the number from hogo token list", arg)
	}
	o, err := openWithAudit(ctx, sf, false)
	if err != nil {
		return err
	}
	defer o.Close()
	if err := staff.New(o.db, o.log).RevokeToken(ctx, cliActor(), id); err != nil {
		return err
	}
	fmt.Fprintln(e.io.out, e.p.msg("token.revoked", id))
	return nil
}
