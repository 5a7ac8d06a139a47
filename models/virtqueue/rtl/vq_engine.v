// SPDX-License-Identifier: GPL-2.0-only
// The virtqueue device engine as RTL: the main loop of models/virtqueue/device_engine.cpp
// (pop every available chain, publish each served PDU with its own notify decision), one
// state transition per clock edge. Every external action is a handshake with the SystemC
// bridge (rtl_engine.cpp): guest-memory accesses, the chain's segments, handing a popped
// chain to the bridge's worker pool, taking the next served PDU, the interrupt. The bridge
// clocks the engine only while it has work: an edge when a handshake completes, and one per
// cycle while the engine counts cycles itself (descriptor decode). Idle, nothing runs.
//
// Toggle handshakes: an output *_tgl flips to start an action; the matching input *_ack
// flips back when it is done. The bridge evaluates the model itself, edge after edge in zero
// simulated time, so the engine issues each transaction at the same point of the SystemC
// schedule as device_engine.cpp does. The doorbell is a counter the engine compares with the last
// count it served, so doorbells that arrive while busy are not lost.
module vq_engine (
    input  wire        clk,
    input  wire        rst,
    // configuration, stable while running
    input  wire [63:0] ring_pa,
    input  wire [31:0] avail_off,
    input  wire [31:0] used_off,
    input  wire [15:0] qsize,          // power of two
    input  wire        indirect_en,
    input  wire        event_idx_en,   // VIRTIO_RING_F_EVENT_IDX negotiated
    input  wire [15:0] fetch_cycles,   // decode cycles per descriptor
    // doorbell
    input  wire [15:0] db_count,
    // guest memory: one transaction at a time
    output reg         mem_tgl,
    output reg         mem_we,
    output reg         mem_to_table,   // a read into the bridge's table buffer
    output reg  [63:0] mem_addr,
    output reg  [31:0] mem_len,
    output reg  [63:0] mem_wdata,
    input  wire        mem_ack,
    input  wire        mem_ok,
    input  wire [127:0] mem_rdata,
    // the indirect table just read, one entry by index
    output reg  [15:0] tbl_index,
    input  wire [127:0] tbl_data,
    // the chain, one segment at a time
    output reg         seg_tgl,
    output reg  [63:0] seg_addr,
    output reg  [31:0] seg_len,
    output reg         seg_write,
    // the chain is complete: the bridge queues it for a worker (no wait)
    output reg         serve_tgl,
    output reg  [15:0] serve_head,
    // the served PDU the bridge offers next (first to finish; ties: first popped)
    input  wire        cmp_valid,
    input  wire [15:0] cmp_head,
    input  wire [31:0] cmp_len,
    output reg         cmp_take,
    // the notify decision of each published PDU: interrupt (the bridge adds its latency)
    // or suppressed
    output reg         irq_tgl,
    output reg         quiet_tgl,
    // counting cycles: the bridge clocks one edge per cycle
    output wire        busy_timer,
    output wire [15:0] busy_cnt,       // cycles left to count, the bridge may wait them at once
    output wire        idle,
    output wire        decide,         // at the main loop's choice (S_IDLE)
    // protocol errors: the engine stops (a broken queue)
    output reg  [7:0]  err_code,
    output reg  [15:0] err_where,
    output reg  [15:0] last_avail,
    output reg  [15:0] used_idx
);
    localparam [4:0] S_IDLE = 5'd0, S_RD_IDX = 5'd1, S_W_IDX = 5'd2, S_RD_HEAD = 5'd3,
                     S_W_HEAD = 5'd4, S_RD_DESC = 5'd5, S_W_DESC = 5'd6, S_FETCH = 5'd7,
                     S_PARSE = 5'd8, S_W_TABLE = 5'd9, S_TFETCH = 5'd10, S_TPARSE = 5'd11,
                     S_SERVE = 5'd12, S_WR_AEV = 5'd13, S_WR_ELEM = 5'd14, S_W_ELEM = 5'd15,
                     S_WR_UIDX = 5'd16, S_W_UIDX = 5'd17, S_RD_FLAGS = 5'd18,
                     S_W_FLAGS = 5'd19, S_BROKEN = 5'd20, S_W_AEV = 5'd21,
                     S_RD_UEV = 5'd22, S_W_UEV = 5'd23;

    // error codes (the bridge names them like the SystemC engine's findings)
    localparam [7:0] E_NONE = 8'd0, E_AVAIL_JUMP = 8'd1, E_DESC_RANGE = 8'd2,
                     E_LOOP = 8'd3, E_INDIRECT_OFF = 8'd4, E_INDIRECT_NEXT = 8'd5,
                     E_INDIRECT_LEN = 8'd6, E_TOO_LONG = 8'd7, E_NESTED = 8'd8,
                     E_TABLE_NEXT = 8'd9, E_ORDER = 8'd10, E_DMA = 8'd11;

    localparam [15:0] F_NEXT = 16'd1, F_WRITE = 16'd2, F_INDIRECT = 16'd4;

    reg [4:0]  state;
    reg [15:0] db_seen;
    reg        ack_seen;
    reg        recheck;               // read avail->idx once more before sleeping
    reg [15:0] avail;
    reg [15:0] c_head;                // the PDU being published
    reg [15:0] sig_used;              // used->idx at the last notify decision
    reg        sig_valid;
    reg [15:0] head, cur, n, total, m, j;
    reg [15:0] cnt;
    reg        seen_w;
    reg [127:0] d;                    // the descriptor being decoded
    reg [31:0] used_len;

    wire [63:0] d_addr  = d[63:0];
    wire [31:0] d_len   = d[95:64];
    wire [15:0] d_flags = d[111:96];
    wire [15:0] d_next  = d[127:112];
    wire [15:0] qmask   = qsize - 16'd1;
    wire        ack_in  = (mem_ack != ack_seen);
    wire [15:0] pending = avail - last_avail;
    // vring_need_event(used_event, used_idx, sig_used), used_event being read
    wire [15:0] ne_pass = used_idx - mem_rdata[15:0] - 16'd1;
    wire [15:0] ne_span = used_idx - sig_used;
    wire [63:0] aev_addr = ring_pa + {32'd0, used_off} + 64'd4 + {45'd0, qsize, 3'd0};
    wire [63:0] uev_addr = ring_pa + {32'd0, avail_off} + 64'd4 + {47'd0, qsize, 1'b0};

    assign busy_timer = (state == S_FETCH) || (state == S_TFETCH);
    assign busy_cnt = cnt;
    assign decide = (state == S_IDLE);
    // Nothing to pop or re-read; the bridge also waits for no served PDU.
    assign idle = (state == S_IDLE) && (db_count == db_seen) && !recheck &&
                  (avail == last_avail);

    task automatic mem_read(input [63:0] addr, input [31:0] len, input to_table);
        begin
            mem_tgl <= ~mem_tgl;
            mem_we <= 1'b0;
            mem_to_table <= to_table;
            mem_addr <= addr;
            mem_len <= len;
        end
    endtask

    task automatic mem_write(input [63:0] addr, input [31:0] len, input [63:0] data);
        begin
            mem_tgl <= ~mem_tgl;
            mem_we <= 1'b1;
            mem_to_table <= 1'b0;
            mem_addr <= addr;
            mem_len <= len;
            mem_wdata <= data;
        end
    endtask

    task automatic fail(input [7:0] code, input [15:0] where);
        begin
            err_code <= code;
            err_where <= where;
            state <= S_BROKEN;
        end
    endtask

    // Emit segment @d and follow its chain (direct) or the table (indirect entries).
    task automatic segment(input [63:0] addr, input [31:0] len, input writable);
        begin
            seg_tgl <= ~seg_tgl;
            seg_addr <= addr;
            seg_len <= len;
            seg_write <= writable;
        end
    endtask

    always @(posedge clk) begin
        if (rst) begin
            state <= S_IDLE;
            db_seen <= 16'd0;
            ack_seen <= 1'b0;
            recheck <= 1'b0;
            c_head <= 16'd0;
            sig_used <= 16'd0;
            sig_valid <= 1'b0;
            cmp_take <= 1'b0;
            quiet_tgl <= 1'b0;
            mem_tgl <= 1'b0;
            mem_we <= 1'b0;
            mem_to_table <= 1'b0;
            mem_addr <= 64'd0;
            mem_len <= 32'd0;
            mem_wdata <= 64'd0;
            seg_tgl <= 1'b0;
            seg_addr <= 64'd0;
            seg_len <= 32'd0;
            seg_write <= 1'b0;
            serve_tgl <= 1'b0;
            serve_head <= 16'd0;
            irq_tgl <= 1'b0;
            tbl_index <= 16'd0;
            err_code <= E_NONE;
            err_where <= 16'd0;
            last_avail <= 16'd0;
            used_idx <= 16'd0;
            avail <= 16'd0;
            head <= 16'd0;
            cur <= 16'd0;
            n <= 16'd0;
            total <= 16'd0;
            m <= 16'd0;
            j <= 16'd0;
            cnt <= 16'd0;
            seen_w <= 1'b0;
            d <= 128'd0;
            used_len <= 32'd0;
        end else begin
            case (state)
            // The main loop's choice, as device_engine::run(): pop, else re-read
            // avail->idx, else publish a served PDU.
            S_IDLE:
                if (avail != last_avail)
                    state <= S_RD_HEAD;
                else if (recheck || db_count != db_seen) begin
                    recheck <= 1'b0;
                    db_seen <= db_count;
                    state <= S_RD_IDX;
                end else if (cmp_valid) begin
                    cmp_take <= ~cmp_take;
                    c_head <= cmp_head;
                    used_len <= cmp_len;
                    state <= S_WR_ELEM;
                end
            S_RD_IDX: begin
                mem_read(ring_pa + {32'd0, avail_off} + 64'd2, 32'd2, 1'b0);
                state <= S_W_IDX;
            end
            S_W_IDX:
                if (ack_in) begin
                    ack_seen <= mem_ack;
                    if (!mem_ok)
                        fail(E_DMA, 16'd0);
                    else if (mem_rdata[15:0] - last_avail > qsize)
                        fail(E_AVAIL_JUMP, mem_rdata[15:0]);
                    else begin
                        avail <= mem_rdata[15:0];
                        state <= S_IDLE;
                    end
                end
            S_RD_HEAD: begin
                mem_read(ring_pa + {32'd0, avail_off} + 64'd4 +
                         {47'd0, last_avail & qmask, 1'b0}, 32'd2, 1'b0);
                state <= S_W_HEAD;
            end
            S_W_HEAD:
                if (ack_in) begin
                    ack_seen <= mem_ack;
                    if (!mem_ok)
                        fail(E_DMA, 16'd0);
                    else if (mem_rdata[15:0] >= qsize)
                        fail(E_DESC_RANGE, last_avail & qmask);
                    else begin
                        head <= mem_rdata[15:0];
                        cur <= mem_rdata[15:0];
                        n <= 16'd1;
                        total <= 16'd0;
                        seen_w <= 1'b0;
                        last_avail <= last_avail + 16'd1;
                        state <= event_idx_en ? S_WR_AEV : S_RD_DESC;
                    end
                end
            S_WR_AEV: begin
                mem_write(aev_addr, 32'd2, {48'd0, last_avail});
                state <= S_W_AEV;
            end
            S_W_AEV:
                if (ack_in) begin
                    ack_seen <= mem_ack;
                    if (!mem_ok)
                        fail(E_DMA, 16'd0);
                    else
                        state <= S_RD_DESC;
                end
            S_RD_DESC: begin
                mem_read(ring_pa + {44'd0, cur, 4'd0}, 32'd16, 1'b0);
                state <= S_W_DESC;
            end
            S_W_DESC:
                if (ack_in) begin
                    ack_seen <= mem_ack;
                    if (!mem_ok)
                        fail(E_DMA, cur);
                    else begin
                        d <= mem_rdata;
                        cnt <= fetch_cycles;
                        state <= (fetch_cycles == 16'd0) ? S_PARSE : S_FETCH;
                    end
                end
            S_FETCH:
                if (cnt == 16'd1)
                    state <= S_PARSE;
                else
                    cnt <= cnt - 16'd1;
            S_PARSE:
                if ((d_flags & F_INDIRECT) != 16'd0) begin
                    if (!indirect_en)
                        fail(E_INDIRECT_OFF, cur);
                    else if ((d_flags & F_NEXT) != 16'd0)
                        fail(E_INDIRECT_NEXT, cur);
                    else if (d_len == 32'd0 || d_len[3:0] != 4'd0)
                        fail(E_INDIRECT_LEN, cur);
                    else if ({16'd0, total} + (d_len >> 4) > {16'd0, qsize})
                        fail(E_TOO_LONG, cur);
                    else begin
                        m <= d_len[19:4];
                        mem_read(d_addr, d_len, 1'b1);
                        state <= S_W_TABLE;
                    end
                end else if ((d_flags & F_WRITE) == 16'd0 && seen_w)
                    fail(E_ORDER, cur);
                else begin
                    segment(d_addr, d_len, (d_flags & F_WRITE) != 16'd0);
                    seen_w <= seen_w | ((d_flags & F_WRITE) != 16'd0);
                    total <= total + 16'd1;
                    if ((d_flags & F_NEXT) == 16'd0)
                        state <= S_SERVE;
                    else if (d_next >= qsize)
                        fail(E_DESC_RANGE, cur);
                    else if (n == qsize)
                        fail(E_LOOP, head);
                    else begin
                        cur <= d_next;
                        n <= n + 16'd1;
                        state <= S_RD_DESC;
                    end
                end
            S_W_TABLE:
                if (ack_in) begin
                    ack_seen <= mem_ack;
                    if (!mem_ok)
                        fail(E_DMA, cur);
                    else begin
                        j <= 16'd0;
                        n <= 16'd1;
                        tbl_index <= 16'd0;
                        cnt <= fetch_cycles;
                        state <= (fetch_cycles == 16'd0) ? S_TPARSE : S_TFETCH;
                    end
                end
            S_TFETCH:
                if (cnt == 16'd1)
                    state <= S_TPARSE;
                else
                    cnt <= cnt - 16'd1;
            S_TPARSE:
                if ((tbl_data[111:96] & F_INDIRECT) != 16'd0)
                    fail(E_NESTED, cur);
                else if ((tbl_data[111:96] & F_WRITE) == 16'd0 && seen_w)
                    fail(E_ORDER, cur);
                else begin
                    segment(tbl_data[63:0], tbl_data[95:64],
                            (tbl_data[111:96] & F_WRITE) != 16'd0);
                    seen_w <= seen_w | ((tbl_data[111:96] & F_WRITE) != 16'd0);
                    total <= total + 16'd1;
                    if ((tbl_data[111:96] & F_NEXT) == 16'd0)
                        state <= S_SERVE;
                    else if (tbl_data[127:112] >= m)
                        fail(E_TABLE_NEXT, cur);
                    else if (n == m)
                        fail(E_LOOP, cur);
                    else begin
                        j <= tbl_data[127:112];
                        tbl_index <= tbl_data[127:112];
                        n <= n + 16'd1;
                        cnt <= fetch_cycles;
                        state <= (fetch_cycles == 16'd0) ? S_TPARSE : S_TFETCH;
                    end
                end
            S_SERVE: begin
                serve_tgl <= ~serve_tgl;
                serve_head <= head;
                if (last_avail == avail)
                    recheck <= 1'b1;
                state <= S_IDLE;
            end
            S_WR_ELEM: begin
                mem_write(ring_pa + {32'd0, used_off} + 64'd4 +
                          {45'd0, used_idx & qmask, 3'd0}, 32'd8, {used_len, 16'd0, c_head});
                state <= S_W_ELEM;
            end
            S_W_ELEM:
                if (ack_in) begin
                    ack_seen <= mem_ack;
                    if (!mem_ok)
                        fail(E_DMA, 16'd0);
                    else begin
                        used_idx <= used_idx + 16'd1;
                        state <= S_WR_UIDX;
                    end
                end
            S_WR_UIDX: begin
                mem_write(ring_pa + {32'd0, used_off} + 64'd2, 32'd2, {48'd0, used_idx});
                state <= S_W_UIDX;
            end
            S_W_UIDX:
                if (ack_in) begin
                    ack_seen <= mem_ack;
                    if (!mem_ok)
                        fail(E_DMA, 16'd0);
                    else
                        state <= event_idx_en ? S_RD_UEV : S_RD_FLAGS;
                end
            S_RD_FLAGS: begin
                mem_read(ring_pa + {32'd0, avail_off}, 32'd2, 1'b0);
                state <= S_W_FLAGS;
            end
            S_W_FLAGS:
                if (ack_in) begin
                    ack_seen <= mem_ack;
                    if (!mem_ok)
                        fail(E_DMA, 16'd0);
                    else begin
                        if (mem_rdata[0] == 1'b0)
                            irq_tgl <= ~irq_tgl;
                        else
                            quiet_tgl <= ~quiet_tgl;
                        state <= S_IDLE;
                    end
                end
            S_RD_UEV: begin
                mem_read(uev_addr, 32'd2, 1'b0);
                state <= S_W_UEV;
            end
            S_W_UEV:
                if (ack_in) begin
                    ack_seen <= mem_ack;
                    if (!mem_ok)
                        fail(E_DMA, 16'd0);
                    else begin
                        if (!sig_valid || ne_pass < ne_span)
                            irq_tgl <= ~irq_tgl;
                        else
                            quiet_tgl <= ~quiet_tgl;
                        sig_used <= used_idx;
                        sig_valid <= 1'b1;
                        state <= S_IDLE;
                    end
                end
            default: ; // S_BROKEN: a broken queue serves nothing more
            endcase
        end
    end

    wire unused = &{1'b0, pending, j, d_addr[0]};
endmodule
